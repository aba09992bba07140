/**
 * How long a service waits before relaunching an instance that ended: 1 s, doubling with each
 * relaunch up to 1 min; back to 1 s once an instance has run (healthy, when it has a health check)
 * for a minute. Marathon's backoff, with its defaults. Pure: the caller says when things happened.
 */
export const BACKOFF_START_MS = 1_000;
export const BACKOFF_MAX_MS = 60_000;
export const HEALTHY_RESET_MS = 60_000;

export class RelaunchBackoff {
  private nextMs: number;

  constructor(
    private readonly startMs = BACKOFF_START_MS,
    private readonly maxMs = BACKOFF_MAX_MS,
    private readonly resetAfterMs = HEALTHY_RESET_MS,
  ) {
    this.nextMs = startMs;
  }

  /** The delay the next relaunch would wait. */
  get current(): number {
    return this.nextMs;
  }

  /**
   * An instance ended after being up (and healthy) since `goodSince` (undefined: never): returns the
   * delay for its relaunch and doubles the one after.
   */
  relaunch(goodSince: number | undefined, endedAt: number): number {
    if (goodSince !== undefined && endedAt - goodSince >= this.resetAfterMs) this.nextMs = this.startMs;
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.maxMs);
    return delay;
  }

  /** An instance has been good for a minute while running: the next relaunch starts from 1 s. */
  goodFor(goodSince: number | undefined, now: number): void {
    if (goodSince !== undefined && now - goodSince >= this.resetAfterMs) this.nextMs = this.startMs;
  }

  reset(): void {
    this.nextMs = this.startMs;
  }
}
