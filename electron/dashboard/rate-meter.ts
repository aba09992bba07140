/**
 * About how many things happened in the last second: each one counted weighs e^(-t / 1 s) after t ms
 * (a decayed count, so no window of timestamps is kept). The monitor and each subscriber's feed use it
 * to tell a busy cluster, whose deltas are worth gathering, from a quiet one, whose lone update should
 * go at once.
 */
export class RateMeter {
  private value = 0;
  private at = -Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts `n` more now; returns the rate with them. */
  add(n: number): number {
    const t = this.now();
    this.value = this.value * Math.exp((this.at - t) / 1000) + n;
    this.at = t;
    return this.value;
  }
}
