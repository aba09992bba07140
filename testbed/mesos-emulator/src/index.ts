// The emulator as a library: start masters and agents in-process (contract tests) or
// from main.ts (the mesos-master / mesos-agent wrappers of the image).
export { startMaster, type MasterHandle, type MasterOptions } from './master/master';
export { startAgent, type AgentHandle, type AgentOptions } from './agent/agent';
export { InMemoryGroup } from './zk/group';
export { FlagsError } from './common/options';
export { RecordIODecoder } from './http/recordio';
export { parseDuration, Duration } from './common/durations';
export { parseResources } from './common/resources';
export { EMULATOR_BUILD_USER, EMULATOR_GIT_TAG, EMULATOR_VERSION, MESOS_VERSION } from './version';
