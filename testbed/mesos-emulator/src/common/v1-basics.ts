// v1 answers both roles give the same way: GET_VERSION, GET_FLAGS, GET_METRICS.
import { dbl, type JsonObject } from './json';
import { versionInfo } from '../version';

export function getVersion(synthetic = false): JsonObject {
  return { version_info: versionInfo(synthetic) };
}

export function getFlags(display: Record<string, string>): JsonObject {
  return { flags: Object.entries(display).map(([name, value]) => ({ name, value })) };
}

export function getMetrics(metrics: Record<string, number>): JsonObject {
  return { metrics: Object.entries(metrics).map(([name, value]) => ({ name, value: dbl(value) })) };
}
