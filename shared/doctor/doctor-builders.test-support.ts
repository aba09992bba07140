import type { StatusEntry, Task } from '../dashboard/view';
import type { DockerEvent, LogLine } from './evidence';

/** Small builders for the doctor's tests (and the recorder's): a task from its statuses, evidence records. */

export const T0 = 1_795_272_900_000;
export const AGENT_ID = 'f8278ec8-4646-4d46-a619-bfdea32934e8-S0';
export const FRAMEWORK_ID = 'f8278ec8-4646-4d46-a619-bfdea32934e8-0000';
export const CONTAINER_ID = 'bb2909d3-752c-4fd1-b845-03048eea3fef';

type StatusInput = Partial<StatusEntry> & Pick<StatusEntry, 'state'>;

/** A task launched at T0 on agent S0 with these statuses, one second apart from T0 + 1 s; its state is the last one's. */
export function taskWith(statuses: StatusInput[], extra: Partial<Task> = {}): Task {
  const full = statuses.map((s, i): StatusEntry => ({ at: T0 + (i + 1) * 1000, agentId: AGENT_ID, ...s }));
  const id = extra.id ?? 't1';
  return {
    key: `${FRAMEWORK_ID}/${id}`,
    id,
    frameworkId: FRAMEWORK_ID,
    agentId: AGENT_ID,
    name: id,
    state: full.at(-1)?.state ?? 'TASK_STAGING',
    resources: { cpus: 0.1, mem: 32, disk: 0, gpus: 0 },
    container: { type: 'DOCKER', image: 'mesoscope/task-base:test' },
    statuses: full,
    seenAt: T0,
    updatedAt: full.at(-1)?.at ?? T0,
    ...extra,
  };
}

/** STARTING and RUNNING from the executor, with the task's container id. */
export const started = (): StatusInput[] => [
  { state: 'TASK_STARTING', source: 'SOURCE_EXECUTOR', containerId: CONTAINER_ID },
  { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', containerId: CONTAINER_ID, ip: '127.0.0.1' },
];

export function dockerEvent(role: DockerEvent['role'], action: string, at: number, extra: Partial<DockerEvent> = {}): DockerEvent {
  const base: DockerEvent =
    role === 'task'
      ? { at, action, role, container: `mesos-${CONTAINER_ID}`, dockerId: 'a1b2c3d4e5f6a1b2c3d4', mesosContainerId: CONTAINER_ID, agentIndex: 1 }
      : { at, action, role, container: `mesoscope-dr-${role}-1`, dockerId: `${role}0000000000000000`, node: { role, index: 1 } };
  return { ...base, ...extra };
}

export const agentLog = (at: number, text: string, level: LogLine['level'] = 'I', index = 1): LogLine => ({ at, node: { role: 'agent', index }, level, file: 'slave.cpp:1', text });
export const masterLog = (at: number, text: string, level: LogLine['level'] = 'I'): LogLine => ({ at, node: { role: 'master', index: 1 }, level, file: 'master.cpp:1', text });
