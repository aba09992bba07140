// Wall-clock time with sub-millisecond precision, kept as integer nanoseconds.
import { performance } from 'node:perf_hooks';

export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

/** Seconds as a float, as the v0 endpoints write times (start_time, registered_time). */
export function nsToSecs(ns: bigint): number {
  return Number(ns / 1000n) / 1e6;
}

/** v1 `TimeInfo`. */
export function timeInfo(ns: bigint): { nanoseconds: bigint } {
  return { nanoseconds: ns };
}
