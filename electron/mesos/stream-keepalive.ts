/**
 * What both long-lived Mesos streams (the operator stream, master-client.ts; the scheduler stream,
 * scheduler-client.ts) need to stay up: the waits between reconnection attempts, and a watchdog that
 * calls a stream broken after a number of heartbeat intervals without a byte (docs/mesos/api.md §2.3).
 */

/** Waits between attempts; the last one repeats. */
export const RECONNECT_BACKOFF_MS: readonly number[] = [250, 500, 1000, 2000, 5000];

/** Heartbeat intervals without a byte before a stream counts as broken. */
export const DEFAULT_MISSED_HEARTBEATS = 5;

/** The wait before attempt `attempt` (0-based) of a reconnection. */
export function backoffDelay(backoff: readonly number[] = RECONNECT_BACKOFF_MS, attempt: number): number {
  return backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
}

export class HeartbeatWatchdog {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly onSilent: (reason: string) => void,
    private readonly misses = DEFAULT_MISSED_HEARTBEATS,
  ) {}

  /** (Re)starts the count: call on every chunk, with the stream's heartbeat interval. */
  arm(intervalSeconds: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.onSilent(`no event for ${this.misses} heartbeat intervals (${intervalSeconds} s each)`),
      intervalSeconds * this.misses * 1000,
    );
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
