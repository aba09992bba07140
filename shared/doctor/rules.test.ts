import { describe, expect, it } from 'vitest';
import { ClusterSpecSchema, type ClusterSpecInput } from '../cluster/spec';
import type { StatusEntry } from '../dashboard/view';
import { diagnose } from './diagnose';
import type { DiagnoseInput } from './diagnosis';
import type { AgentEvidence } from './evidence';
import { RULES } from './rules';
import { AGENT_ID, agentLog, CONTAINER_ID, dockerEvent, FRAMEWORK_ID, masterLog, started, T0, taskWith } from './doctor-builders.test-support';

/**
 * Every rule of the table, each with real message strings: verbatim from the transcripts of a real
 * Mesos 1.12 (testbed/transcripts), docs/mesos/faults.md and docs/mesos/api.md §9 (where the catalogue gives a
 * pattern, the example fills its placeholders the way Mesos' source does).
 */

type Status = Partial<StatusEntry> & Pick<StatusEntry, 'state'>;
interface Case {
  rule: string;
  /** What the case is, for the test name. */
  name: string;
  statuses: Status[];
  input?: Partial<DiagnoseInput>;
  /** Text the cause (or title) must hold. */
  says: RegExp;
}

const agentOnNode: AgentEvidence = { id: AGENT_ID, state: 'registered', hostname: '127.0.0.1', node: { role: 'agent', index: 1 } };
const spec = (input: Omit<ClusterSpecInput, 'name'>) => ClusterSpecSchema.parse({ name: 'dr-test', ...input });
const at = (n: number) => T0 + n * 1000;

const FAILED_EXEC = (message: string): Status => ({ state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', message });
const agentUpdate = (state: Status['state'], reason: string, message: string): Status => ({ state, reason, source: 'SOURCE_AGENT', message });
const masterUpdate = (state: Status['state'], reason: string, message: string): Status => ({ state, reason, source: 'SOURCE_MASTER', message });

// transcripts/basic/sched.events.jsonl
const BAD_IMAGE =
  "Failed to launch container: Failed to run 'docker -H unix:///var/run/docker.sock pull 127.0.0.1:5000/mesoscope/does-not-exist:1': exited with status 1; stderr='Error response from daemon: manifest for 127.0.0.1:5000/mesoscope/does-not-exist:1 not found: manifest unknown: manifest unknown\n'";
const pull = (image: string, stderr: string) => `Failed to launch container: Failed to run 'docker -H unix:///var/run/docker.sock pull ${image}': exited with status 1; stderr='${stderr}\n'`;
const EXECUTOR_UNREACHABLE = "Failed to send 'mesos.internal.ExecutorRegisteredMessage' to '127.0.0.2:41235', connect: Failed to connect to 127.0.0.2:41235: Connection refused";

export const CASES: Case[] = [
  // the task's own process
  {
    rule: 'oom-killed',
    name: 'exit 137 with Docker OOMKilled (docs/mesos/faults.md row 3)',
    statuses: [...started(), FAILED_EXEC('Container exited with status 137')],
    input: { dockerEvents: [dockerEvent('task', 'oom', at(2.9)), dockerEvent('task', 'die', at(3), { exitCode: 137, oomKilled: true })] },
    says: /more memory than its 32 MB/,
  },
  { rule: 'sigkill-137', name: 'exit 137 without Docker evidence (docs/mesos/faults.md row 3)', statuses: [...started(), FAILED_EXEC('Container exited with status 137')], says: /SIGKILL.*memory limit \(32 MB\)/ },
  { rule: 'command-not-found', name: 'exit 127', statuses: [...started(), FAILED_EXEC('Container exited with status 127')], says: /could not find the command/ },
  { rule: 'not-executable', name: 'exit 126', statuses: [...started(), FAILED_EXEC('Command exited with status 126')], says: /could not be executed/ },
  { rule: 'sigterm-143', name: 'exit 143 without a kill', statuses: [...started(), FAILED_EXEC('Container exited with status 143')], says: /SIGTERM/ },
  { rule: 'nonzero-exit', name: 'exit 1 (docs/mesos/faults.md row 2)', statuses: [...started(), FAILED_EXEC('Container exited with status 1')], says: /exited with status 1\b/ },
  { rule: 'nonzero-exit', name: 'a command task exiting 2', statuses: [...started(), FAILED_EXEC('Command exited with status 2')], says: /exited with status 2\b/ },
  { rule: 'terminated-by-signal', name: 'ended by a signal', statuses: [...started(), FAILED_EXEC('Command terminated with signal Aborted')], says: /signal Aborted/ },
  // docker executor errors
  { rule: 'bad-docker-info', name: 'port mappings without ports', statuses: [FAILED_EXEC('Failed to create docker run options: Port mappings require port resources')], says: /Port mappings require port resources/ },
  {
    rule: 'bad-docker-info',
    name: 'port outside the resources',
    statuses: [FAILED_EXEC('Failed to create docker run options: Port [8080] not included in resources')],
    says: /Port \[8080\] not included/,
  },
  {
    rule: 'docker-run-failed',
    name: 'docker run refused',
    statuses: [FAILED_EXEC("Failed to run docker container: Failed to run 'docker -H unix:///var/run/docker.sock run …': exited with status 125")],
    says: /exited with status 125/,
  },
  { rule: 'exit-status-unknown', name: 'no exit status', statuses: [...started(), FAILED_EXEC('Failed to get exit status of container')], says: /could not learn how the container ended/ },
  // limits
  {
    rule: 'memory-limit',
    name: 'cgroups memory isolator',
    statuses: [{ state: 'TASK_FAILED', source: 'SOURCE_AGENT', reason: 'REASON_CONTAINER_LIMITATION_MEMORY', message: 'Memory limit exceeded: Requested: 64MB Maximum Used: 64MB\n\nMEMORY STATISTICS: \ncache 0' }],
    says: /used 64MB of the 64MB/,
  },
  { rule: 'disk-limit', name: 'disk quota', statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LIMITATION_DISK', 'Disk usage (65MB) exceeds quota (64MB)')], says: /grew to 65MB, over its disk quota of 64MB/ },
  { rule: 'container-limitation', name: 'ports isolator', statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LIMITATION', 'Task is listening on unallocated port(s): 8080')], says: /unallocated port\(s\): 8080/ },
  {
    rule: 'max-completion-time',
    name: 'max_completion_time',
    statuses: [...started(), { state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', reason: 'REASON_MAX_COMPLETION_TIME_REACHED', message: 'Command terminated with signal Killed' }],
    says: /max_completion_time expired/,
  },
  // launching
  { rule: 'image-not-found', name: 'missing tag (docs/mesos/faults.md row 4, transcript)', statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', BAD_IMAGE)], says: /could not pull 127\.0\.0\.1:5000\/mesoscope\/does-not-exist:1: the registry has no such image or tag/ },
  {
    rule: 'image-not-found',
    name: 'missing tag while the source adds the pull suffix',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', `${BAD_IMAGE}; Container destroyed while pulling image`)],
    says: /no such image or tag/,
  },
  {
    rule: 'image-pull-denied',
    name: 'private repository',
    statuses: [
      agentUpdate(
        'TASK_FAILED',
        'REASON_CONTAINER_LAUNCH_FAILED',
        pull('private/app:1', "Error response from daemon: pull access denied for private/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"),
      ),
    ],
    says: /refused to give private\/app:1/,
  },
  {
    rule: 'registry-unreachable',
    name: 'registry down',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', pull('127.0.0.1:5001/app:1', 'Error response from daemon: Get "https://127.0.0.1:5001/v2/": dial tcp 127.0.0.1:5001: connect: connection refused'))],
    says: /could not reach the registry of 127\.0\.0\.1:5001\/app:1/,
  },
  {
    rule: 'image-pull-failed',
    name: 'another pull error',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', pull('big/app:1', 'failed to register layer: no space left on device'))],
    says: /no space left on device/,
  },
  {
    rule: 'pull-exceeded-registration-timeout',
    name: 'slow pull (docs/mesos/faults.md row 13)',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', 'Failed to launch container: discarded; Abnormal executor termination: unknown container')],
    input: { spec: spec({ timers: { executorRegistrationTimeout: '2secs' } }), agent: agentOnNode },
    says: /executor registration timeout \(2secs\) includes the pull/,
  },
  { rule: 'nested-container-unsupported', name: 'nested container', statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', 'Failed to launch container: Nested containers are not supported')], says: /does not support them/ },
  {
    rule: 'docker-in-docker-setup',
    name: 'no cgroup',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', "Failed to launch container: Failed to determine cgroup for the 'cpu' subsystem: Failed to read /proc/4242/cgroup")],
    says: /Failed to determine cgroup for the 'cpu' subsystem/,
  },
  { rule: 'docker-in-docker-setup', name: 'no executor pid', statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', 'Failed to launch container: Unable to get executor pid after launch')], says: /Unable to get executor pid/ },
  {
    rule: 'docker-in-docker-setup',
    name: 'container create failed',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', 'Failed to launch container: Failed to create container: Cannot connect to the Docker daemon at unix:///var/run/docker.sock')],
    says: /Cannot connect to the Docker daemon/,
  },
  { rule: 'launch-during-executor-shutdown', name: 'executor terminating', statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', 'Executor terminating')], says: /being shut down/ },
  { rule: 'launch-during-executor-shutdown', name: 'executor terminated', statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', 'Failed to launch container: Executor terminated')], says: /being shut down/ },
  {
    rule: 'container-launch-failed',
    name: 'fetcher failure',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', "Failed to launch container: Failed to fetch all URIs for container 'bb2909d3' with exit status: 256")],
    says: /Failed to fetch all URIs/,
  },
  {
    rule: 'registration-timeout-unreachable-executor',
    name: 'timeout after the agent could not answer the executor',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_REGISTRATION_TIMEOUT', 'Executor did not register within 2secs')],
    input: { agent: agentOnNode, logs: [agentLog(at(0.5), EXECUTOR_UNREACHABLE, 'W')] },
    says: /could not answer its registration at 127\.0\.0\.2:41235/,
  },
  {
    rule: 'registration-timeout-pulling',
    name: 'timeout during the pull (docs/mesos/api.md §9 row 1)',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_REGISTRATION_TIMEOUT', 'Executor did not register within 1mins; Container destroyed while pulling image')],
    says: /registration timeout \(1mins\) ran out/,
  },
  {
    rule: 'executor-never-registered',
    name: 'custom executor never registers (docs/mesos/faults.md row 15)',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_REGISTRATION_TIMEOUT', 'Executor did not register within 2secs')],
    says: /did not register with the agent within 2secs/,
  },
  {
    rule: 'executor-never-registered',
    name: 'started but killed (docs/mesos/api.md §9 row 1)',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_REGISTRATION_TIMEOUT', 'Executor did not register within 1mins; Container killed')],
    says: /within 1mins/,
  },
  {
    rule: 'no-docker-containerizer',
    name: 'DOCKER task without the docker containerizer (docs/mesos/faults.md row 17)',
    statuses: [agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'Abnormal executor termination: unknown container')],
    input: { agent: agentOnNode, logs: [agentLog(at(0.9), 'None of the enabled containerizers (mesos) could create a container for the provided TaskInfo/ExecutorInfo message', 'E')] },
    says: /DOCKER task \(mesoscope\/task-base:test\) on an agent whose --containerizers lacks docker/,
  },
  // the executor died
  {
    rule: 'agent-restart-killed-executor',
    name: 'agent stopped and started again, checkpointing framework (docs/mesos/faults.md row 12)',
    statuses: [
      ...started(),
      masterUpdate('TASK_LOST', 'REASON_AGENT_REMOVED', 'health check timed out'),
      masterUpdate('TASK_FAILED', 'REASON_AGENT_REREGISTERED', 'Unreachable agent re-reregistered'),
      agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'Container terminated'),
    ],
    says: /the task was lost first/,
  },
  { rule: 'executor-terminated', name: 'container terminated', statuses: [...started(), agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'Container terminated')], says: /“Container terminated”/ },
  { rule: 'executor-terminated', name: 'container killed', statuses: [...started(), agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'Container killed')], says: /“Container killed”/ },
  { rule: 'executor-terminated', name: 'plain executor terminated', statuses: [...started(), agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'Executor terminated')], says: /crashed or was killed/ },
  {
    rule: 'executor-terminated',
    name: 'abnormal termination with a failure',
    statuses: [...started(), agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'Abnormal executor termination: Failed to reap the executor')],
    says: /Failed to reap the executor/,
  },
  { rule: 'agent-back-task-gone', name: 'FAILED on re-registration (docs/mesos/faults.md row 12)', statuses: [...started(), masterUpdate('TASK_FAILED', 'REASON_AGENT_REREGISTERED', 'Unreachable agent re-reregistered')], says: /no longer running/ },
  { rule: 'io-switchboard-exited', name: 'switchboard', statuses: [...started(), agentUpdate('TASK_FAILED', 'REASON_IO_SWITCHBOARD_EXITED', 'Unexpected termination of the subprocess: exited with status 1')], says: /I\/O switchboard/ },
  // killed
  { rule: 'killed-on-request', name: 'docker task killed (docs/mesos/faults.md row 7, transcript)', statuses: [...started(), { state: 'TASK_KILLING', source: 'SOURCE_EXECUTOR' }, { state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message: 'Container exited with status 137' }], says: /asked for it to be killed/ },
  { rule: 'killed-on-request', name: 'command task killed', statuses: [...started(), { state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message: 'Command terminated with signal Terminated' }], says: /asked for it to be killed/ },
  {
    rule: 'framework-removed',
    name: 'failover_timeout 0 (docs/mesos/faults.md row 16, transcript)',
    statuses: [...started(), masterUpdate('TASK_KILLED', 'REASON_FRAMEWORK_REMOVED', 'Framework f8278ec8-4646-4d46-a619-bfdea32934e8-0001 removed')],
    says: /removed the framework f8278ec8-4646-4d46-a619-bfdea32934e8-0001/,
  },
  {
    rule: 'killed-during-launch-unreachable-executor',
    name: 'killed while STAGING with an unreachable executor (docs/mesos/faults.md row 14)',
    statuses: [agentUpdate('TASK_KILLED', 'REASON_TASK_KILLED_DURING_LAUNCH', 'Killed before delivery to the executor')],
    input: { agent: agentOnNode, logs: [agentLog(at(0.4), EXECUTOR_UNREACHABLE, 'W')] },
    says: /could not answer its executor at 127\.0\.0\.2:41235/,
  },
  { rule: 'killed-during-launch', name: 'kill before delivery', statuses: [masterUpdate('TASK_KILLED', 'REASON_TASK_KILLED_DURING_LAUNCH', 'Killed before delivery to the agent')], says: /before the task reached its executor/ },
  {
    rule: 'killed-during-launch-legacy',
    name: 'the pre-1.5 reason',
    statuses: [masterUpdate('TASK_KILLED', 'REASON_EXECUTOR_UNREGISTERED', 'Unregistered executor')],
    input: { mesosVersion: '1.4.3' },
    says: /before 1\.5 reports this as REASON_EXECUTOR_UNREGISTERED/,
  },
  { rule: 'killed-agent-draining', name: 'drained', statuses: [...started(), agentUpdate('TASK_KILLED', 'REASON_AGENT_DRAINING', 'Container exited with status 143')], says: /being drained/ },
  // the agent went away
  {
    rule: 'agent-stopped-disconnected',
    name: 'agent container stopped, no checkpoint (docs/mesos/faults.md row 11, transcript)',
    statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'Agent 127.0.0.1 disconnected')],
    input: { agent: { ...agentOnNode, state: 'unreachable' }, dockerEvents: [dockerEvent('agent', 'kill', at(2.8), { signal: '15' }), dockerEvent('agent', 'die', at(2.95), { exitCode: 143 }), dockerEvent('agent', 'stop', at(3.05))] },
    says: /agent’s container \(agent 1\) stopped/,
  },
  { rule: 'agent-disconnected', name: 'disconnected, no Docker evidence (transcript)', statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'Agent 127.0.0.1 disconnected')], says: /dropped its connection/ },
  {
    rule: 'agent-paused',
    name: 'agent container paused (docs/mesos/faults.md row 9, transcript)',
    statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_AGENT_REMOVED', 'health check timed out')],
    input: { agent: { ...agentOnNode, state: 'unreachable' }, dockerEvents: [dockerEvent('agent', 'pause', at(-0.5))], spec: spec({ timers: { maxAgentPingTimeouts: 3 } }) },
    says: /was paused.*After 3 missed pings.*was declared lost/,
  },
  {
    rule: 'agent-paused',
    name: 'paused, partition-aware (docs/mesos/faults.md row 10)',
    statuses: [...started(), masterUpdate('TASK_UNREACHABLE', 'REASON_AGENT_REMOVED', 'health check timed out')],
    input: { agent: agentOnNode, dockerEvents: [dockerEvent('agent', 'pause', at(-0.5))] },
    says: /became unreachable/,
  },
  {
    rule: 'agent-stopped-unreachable',
    name: 'stopped, checkpointing framework (docs/mesos/faults.md row 12)',
    statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_AGENT_REMOVED', 'health check timed out')],
    input: { agent: agentOnNode, dockerEvents: [dockerEvent('agent', 'kill', at(-0.6)), dockerEvent('agent', 'die', at(-0.5)), dockerEvent('agent', 'stop', at(-0.5))] },
    says: /stopped\. The framework checkpoints/,
  },
  { rule: 'agent-unreachable', name: 'unreachable, no Docker evidence', statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_AGENT_REMOVED', 'health check timed out')], says: /may still be running/ },
  {
    rule: 'agent-unreachable',
    name: 'the v0 reason spelling',
    statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_SLAVE_REMOVED', 'health check timed out')],
    says: /marked unreachable/,
  },
  {
    rule: 'agent-unreachable-legacy',
    name: 'before 1.5 (MESOS-7215)',
    statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_AGENT_REMOVED', 'health check timed out')],
    input: { mesosVersion: '1.4.0' },
    says: /kills such tasks when the agent comes back/,
  },
  {
    rule: 'agent-did-not-reregister',
    name: 'never came back',
    statuses: [...started(), masterUpdate('TASK_UNREACHABLE', 'REASON_AGENT_REMOVED', 'agent did not reregister within 10mins after disconnecting')],
    says: /did not re-register within 10mins/,
  },
  { rule: 'agent-unregistered', name: 'clean shutdown', statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_AGENT_REMOVED', 'Agent 127.0.0.1 removed: the agent unregistered')], says: /shut down cleanly/ },
  {
    rule: 'agent-replaced',
    name: 'new agent at the same address',
    statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_AGENT_REMOVED', 'Agent 127.0.0.1 removed: a new agent registered at the same address')],
    says: /empty work dir/,
  },
  { rule: 'agent-marked-gone', name: 'marked gone (PA)', statuses: [...started(), masterUpdate('TASK_GONE_BY_OPERATOR', 'REASON_AGENT_REMOVED_BY_OPERATOR', 'Agent has been marked gone')], says: /MARK_AGENT_GONE/ },
  { rule: 'agent-marked-gone', name: 'marked gone (legacy, v0 reason)', statuses: [...started(), masterUpdate('TASK_LOST', 'REASON_SLAVE_REMOVED', 'Agent has been marked gone')], says: /MARK_AGENT_GONE/ },
  // before the launch
  {
    rule: 'invalid-offer',
    name: 'stale offer, legacy (docs/mesos/faults.md row 6, transcript)',
    statuses: [masterUpdate('TASK_LOST', 'REASON_INVALID_OFFERS', 'Task launched with invalid offers: Offer 00000000-0000-0000-0000-000000000000-O999 is no longer valid')],
    says: /offer \(00000000-0000-0000-0000-000000000000-O999\)/,
  },
  {
    rule: 'invalid-offer',
    name: 'stale offer, partition-aware (docs/mesos/faults.md row 6b)',
    statuses: [masterUpdate('TASK_DROPPED', 'REASON_INVALID_OFFERS', 'Task launched with invalid offers: Offer 00000000-0000-0000-0000-000000000000-O999 is no longer valid')],
    says: /no longer knows/,
  },
  { rule: 'invalid-offer', name: 'no offers', statuses: [masterUpdate('TASK_LOST', 'REASON_INVALID_OFFERS', 'Task launched with invalid offers: No offers specified')], says: /\(none given\)/ },
  { rule: 'offer-agent-vanished', name: 'agent removed', statuses: [masterUpdate('TASK_DROPPED', 'REASON_AGENT_REMOVED', 'Agent removed')], says: /between the offer and the launch/ },
  { rule: 'offer-agent-vanished', name: 'agent disconnected', statuses: [masterUpdate('TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'Agent disconnected')], says: /between the offer and the launch/ },
  {
    rule: 'switch-user-missing-user',
    name: 'switch_user with a missing user',
    statuses: [agentUpdate('TASK_DROPPED', 'REASON_EXECUTOR_TERMINATED', "Failed to chown directory to 'alice': No such user 'alice'")],
    says: /framework’s user \(alice\)/,
  },
  { rule: 'executor-race', name: 'cannot find executor', statuses: [agentUpdate('TASK_DROPPED', 'REASON_EXECUTOR_TERMINATED', 'Cannot find executor')], says: /coming or going/ },
  { rule: 'executor-race', name: 'executor already exists', statuses: [agentUpdate('TASK_LOST', 'REASON_EXECUTOR_TERMINATED', 'Master wants to launch executor, but one already exists')], says: /coming or going/ },
  { rule: 'agent-restarted-during-launch', name: 'agent restarting', statuses: [agentUpdate('TASK_LOST', 'REASON_SLAVE_RESTARTED', 'Task launched during agent restart')], says: /while it was restarting/ },
  {
    rule: 'executor-reregistration-timeout',
    name: 'executor did not reregister',
    statuses: [...started(), agentUpdate('TASK_GONE', 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT', 'Executor did not reregister within 2secs')],
    says: /did not reconnect within 2secs/,
  },
  { rule: 'agent-draining', name: 'draining agent', statuses: [agentUpdate('TASK_DROPPED', 'REASON_AGENT_DRAINING', 'Task was received while agent was already draining')], says: /refuses new tasks/ },
  { rule: 'gc-error', name: 'gc', statuses: [agentUpdate('TASK_DROPPED', 'REASON_GC_ERROR', 'Failed to unschedule directories scheduled for gc')], says: /garbage collection/ },
  { rule: 'resources-unknown', name: 'unknown reservations', statuses: [masterUpdate('TASK_DROPPED', 'REASON_RESOURCES_UNKNOWN', 'Task uses resources unknown to the agent')], says: /does not know/ },
  { rule: 'master-disconnected', name: 'v0 driver disconnected', statuses: [{ state: 'TASK_LOST', reason: 'REASON_MASTER_DISCONNECTED', message: 'Master disconnected' }], says: /disconnected from the master/ },
  { rule: 'container-preempted', name: 'QoS', statuses: [...started(), agentUpdate('TASK_GONE', 'REASON_CONTAINER_PREEMPTED', 'Container preempted by QoS correction')], says: /QoS controller/ },
  { rule: 'container-update-failed', name: 'update', statuses: [...started(), agentUpdate('TASK_GONE', 'REASON_CONTAINER_UPDATE_FAILED', 'Failed to update container')], says: /Updating the container’s resources failed/ },
  {
    rule: 'reconciliation-unknown',
    name: 'unknown to the agent',
    statuses: [masterUpdate('TASK_GONE', 'REASON_RECONCILIATION', 'Reconciliation: Task is unknown to the agent')],
    says: /task is unknown to the agent/,
  },
  { rule: 'reconciliation-unknown', name: 'unknown', statuses: [masterUpdate('TASK_UNKNOWN', 'REASON_RECONCILIATION', 'Reconciliation: Task is unknown')], says: /task is unknown:/ },
  // invalid tasks
  { rule: 'task-no-resources', name: 'no resources (docs/mesos/faults.md row 5, transcript)', statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_INVALID', 'Task uses no resources')], says: /has no resources/ },
  {
    rule: 'task-resources-exceed-offer',
    name: 'too big',
    statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_INVALID', 'Total resources cpus:4; mem:4096 required by task and its executor is more than available cpus:2; mem:2048; disk:4096; ports:[31000-31099]')],
    says: /need cpus:4; mem:4096, more than the offer had \(cpus:2; mem:2048/,
  },
  {
    rule: 'task-command-xor-executor',
    name: 'both or neither',
    statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_INVALID', 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present')],
    says: /both a command and an executor, or neither/,
  },
  { rule: 'task-duplicate-id', name: 'duplicate', statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_INVALID', 'Task has duplicate ID: t1')], says: /already has the id t1/ },
  { rule: 'task-reuses-unreachable-id', name: 'unreachable id', statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_INVALID', 'Task reuses the ID of an unreachable task: t1')], says: /The id t1 belongs/ },
  {
    rule: 'task-invalid-container',
    name: 'container info',
    statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_INVALID', "Task's `ContainerInfo` is invalid: DockerInfo 'image' is not set")],
    says: /DockerInfo 'image' is not set/,
  },
  { rule: 'task-invalid-resources', name: 'resources', statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_INVALID', 'Task uses invalid resources: Invalid scalar resource cpus: -1')], says: /Invalid scalar resource/ },
  {
    rule: 'task-invalid',
    name: 'agent-side validation',
    statuses: [agentUpdate('TASK_DROPPED', 'REASON_TASK_INVALID', 'Cannot reuse an already existing executor for a command task')],
    says: /Cannot reuse an already existing executor/,
  },
  { rule: 'task-unauthorized', name: 'ACL', statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_UNAUTHORIZED', 'Not authorized to launch as user root')], says: /ACLs do not allow/ },
  { rule: 'task-group-invalid', name: 'task group', statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_GROUP_INVALID', 'The `ExecutorInfo` of a task group must be of type DEFAULT')], says: /failed validation/ },
  { rule: 'task-group-invalid', name: 'task group authorization', statuses: [masterUpdate('TASK_ERROR', 'REASON_TASK_GROUP_UNAUTHORIZED', 'Not authorized')], says: /failed authorization/ },
  // never an update
  {
    rule: 'staging-unreachable-executor',
    name: 'STAGING with the agent’s failed send (docs/mesos/faults.md row 14)',
    statuses: [],
    input: { now: at(20), agent: agentOnNode, logs: [agentLog(at(1), "Launching task 't1' for framework " + FRAMEWORK_ID), agentLog(at(1.5), EXECUTOR_UNREACHABLE, 'W')] },
    says: /cannot answer it at 127\.0\.0\.2:41235 \(Failed to connect to 127\.0\.0\.2:41235: Connection refused\)/,
  },
  { rule: 'staging-stuck', name: 'STAGING, nothing else known', statuses: [], input: { now: at(60) }, says: /No status update in 60 s/ },
  { rule: 'staging-stuck-legacy', name: 'STAGING before 1.5', statuses: [], input: { now: at(60), mesosVersion: '1.4.2' }, says: /stays STAGING until RUNNING/ },
];

function run(c: Case) {
  const task = taskWith(c.statuses, c.statuses.length === 0 ? { state: 'TASK_STAGING' } : {});
  return diagnose({ task, now: at(120), ...c.input });
}

describe('every rule, with real message strings', () => {
  it.each(CASES.map((c) => [c.rule, c.name, c] as const))('%s: %s', (rule, _name, c) => {
    const d = run(c);
    expect(d.kind, JSON.stringify(d.kind === 'unrecognised' ? d.raw : d)).toBe('diagnosed');
    if (d.kind !== 'diagnosed') return;
    expect(d.ruleId).toBe(rule);
    expect(`${d.title}\n${d.cause}`).toMatch(c.says);
    // Filled templates: no placeholder left, no value missing.
    for (const text of [d.title, d.cause, d.fix]) expect(text).not.toMatch(/\{\w+(\|[^}]*)?\}|\(\w+ unknown\)/);
    // Exactly one decisive item, and the timeline is in time order.
    expect(d.timeline.filter((i) => i.decisive)).toHaveLength(1);
    expect(d.timeline.map((i) => i.at)).toEqual([...d.timeline.map((i) => i.at)].sort((a, b) => a - b));
  });

  it('covers every rule of the table', () => {
    const tested = new Set(CASES.map((c) => c.rule));
    expect(RULES.map((r) => r.id).filter((id) => !tested.has(id))).toEqual([]);
  });

  it('rule ids are unique', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  it('answers every row of docs/mesos/api.md §9 (1–27)', () => {
    const answered = new Set(RULES.flatMap((r) => r.refs.api));
    expect(Array.from({ length: 27 }, (_, i) => i + 1).filter((row) => !answered.has(row))).toEqual([]);
  });

  it('answers every task failure of docs/mesos/faults.md; rows 1, 8 (success) and 18 (no task update) need no diagnosis', () => {
    const answered = new Set(RULES.flatMap((r) => r.refs.faults));
    const failures = ['2', '3', '4', '5', '6', '6b', '7', '9', '10', '11', '12', '13', '14', '15', '16', '17'];
    expect(failures.filter((row) => !answered.has(row))).toEqual([]);
    // Rows 1 and 8: FINISHED, "Container/Command exited with status 0".
    for (const message of ['Container exited with status 0', 'Command exited with status 0']) {
      const d = diagnose({ task: taskWith([...started(), { state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', message }]) });
      expect(d).toEqual({ kind: 'none', taskKey: `${FRAMEWORK_ID}/t1`, why: 'finished' });
    }
    // Row 18 (leader stopped): the tasks keep RUNNING, no update.
    expect(diagnose({ task: taskWith(started()) })).toMatchObject({ kind: 'none', why: 'active' });
  });

  it('a rule that offers a set-up change names the real spec field', () => {
    const slow = run(CASES.find((c) => c.rule === 'pull-exceeded-registration-timeout')!);
    expect(slow.kind === 'diagnosed' && slow.specChange).toEqual({
      path: 'timers.executorRegistrationTimeout',
      current: '2secs',
      suggested: '5mins',
      summary: 'Raise the executor registration timeout from 2secs to 5mins',
    });
    const noDocker = diagnose({
      task: taskWith([agentUpdate('TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'Abnormal executor termination: unknown container')]),
      spec: spec({ agents: { count: 2, flags: { containerizers: 'mesos' } } }),
      agent: agentOnNode,
    });
    expect(noDocker.kind === 'diagnosed' && noDocker.specChange).toMatchObject({ path: 'agents.flags.containerizers', current: 'mesos', suggested: 'docker,mesos' });
  });

  it('shows the decisive evidence: the OOM kill, the pause, the stop, the agent’s log line', () => {
    const decisive = (rule: string, name?: string) => {
      const d = run(CASES.find((c) => c.rule === rule && (!name || c.name === name))!);
      return d.kind === 'diagnosed' ? d.timeline.find((i) => i.decisive) : undefined;
    };
    expect(decisive('oom-killed')).toMatchObject({ kind: 'docker', source: 'task-container', title: 'Task container died (exit 137, OOM killed)' });
    expect(decisive('agent-paused', 'paused, partition-aware (docs/mesos/faults.md row 10)')).toMatchObject({ kind: 'docker', source: 'agent-container', title: 'Agent container (agent 1) paused' });
    expect(decisive('agent-stopped-disconnected')).toMatchObject({ kind: 'docker', title: 'Agent container (agent 1) stopped' });
    expect(decisive('staging-unreachable-executor')).toMatchObject({ kind: 'log', source: 'agent-log', title: EXECUTOR_UNREACHABLE });
    expect(decisive('image-not-found')).toMatchObject({ kind: 'status', source: 'task-status', title: 'TASK_FAILED · REASON_CONTAINER_LAUNCH_FAILED' });
    expect(decisive('staging-stuck')).toMatchObject({ id: 'staging', title: 'Still TASK_STAGING after 60 s: no status update' });
  });

  it('the master’s log lines about the task and its agent come with the timeline', () => {
    const d = diagnose({
      task: taskWith([...started(), masterUpdate('TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'Agent 127.0.0.1 disconnected')]),
      agent: agentOnNode,
      logs: [
        masterLog(at(2.99), `Agent ${AGENT_ID} at slave(1)@127.0.0.1:5052 (127.0.0.1) disconnected`),
        masterLog(at(3.01), `Sending status update TASK_LOST for task t1 of framework ${FRAMEWORK_ID} 'Agent 127.0.0.1 disconnected'`),
        masterLog(at(3.02), 'Processing ACKNOWLEDGE call for another task'),
      ],
    });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('agent-disconnected');
    if (d.kind !== 'diagnosed') return;
    expect(d.timeline.filter((i) => i.kind === 'log').map((i) => i.title)).toEqual([
      `Agent ${AGENT_ID} at slave(1)@127.0.0.1:5052 (127.0.0.1) disconnected`,
      `Sending status update TASK_LOST for task t1 of framework ${FRAMEWORK_ID} 'Agent 127.0.0.1 disconnected'`,
    ]);
    expect(d.timeline.find((i) => i.decisive)?.title).toMatch(/disconnected$/);
    expect(d.links).toEqual({
      sandbox: { agentId: AGENT_ID, frameworkId: FRAMEWORK_ID, executorId: 't1', containerId: CONTAINER_ID, path: `/frameworks/${FRAMEWORK_ID}/executors/t1/runs/latest` },
      nodeLogs: [{ role: 'agent', index: 1 }, { role: 'master', index: 1 }],
    });
  });
});
