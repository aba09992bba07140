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

// One formatter for all: toLocaleTimeString builds a new one per call, which was the top cost of a
// task table under load (bench:events).
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** 17:30:31.342 in the user's locale, with milliseconds. */
export function clockTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return `${TIME.format(ms)}.${String(Math.floor(ms) % 1000).padStart(3, '0')}`;
}
