import type { TaskState } from '@shared/mesos/v1';

export const STATE_COLOR: Record<string, 'gray' | 'blue' | 'green' | 'red' | 'amber' | 'orange'> = {
  TASK_STAGING: 'gray',
  TASK_STARTING: 'blue',
  TASK_RUNNING: 'green',
  TASK_KILLING: 'amber',
  TASK_FINISHED: 'gray',
  TASK_FAILED: 'red',
  TASK_KILLED: 'amber',
  TASK_ERROR: 'red',
  TASK_LOST: 'red',
  TASK_DROPPED: 'red',
  TASK_UNREACHABLE: 'orange',
  TASK_GONE: 'red',
  TASK_GONE_BY_OPERATOR: 'red',
  TASK_UNKNOWN: 'gray',
};

/** TASK_RUNNING -> RUNNING */
export const shortState = (state: TaskState | string) => state.replace(/^TASK_/, '');

export function clockTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const d = new Date(ms);
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
