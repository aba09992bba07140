// The `system/*` metrics both roles publish.
import os from 'node:os';

export function systemMetrics(): Record<string, number> {
  const [l1 = 0, l5 = 0, l15 = 0] = os.loadavg();
  return {
    'system/cpus_total': os.cpus().length,
    'system/load_15min': l15,
    'system/load_1min': l1,
    'system/load_5min': l5,
    'system/mem_free_bytes': os.freemem(),
    'system/mem_total_bytes': os.totalmem(),
  };
}

const TIMER_SUFFIXES = ['', '/count', '/max', '/min', '/p50', '/p90', '/p95', '/p99', '/p999', '/p9999'];

/**
 * A libprocess Timer's snapshot keys. A timer with no samples yet publishes nothing;
 * the emulator's "samples" are tiny constants (it does no real work to time).
 */
export function timerMetrics(name: string, count: number, valueMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (count === 0) return out;
  for (const s of TIMER_SUFFIXES) out[name + s] = s === '/count' ? count : valueMs;
  return out;
}

export function sortedRecord(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}
