import type { StatusEntry } from '@shared/dashboard/view';
import type { TaskStatus } from '@shared/mesos/v1';
import { MAX_STATUS_HISTORY } from '@shared/dashboard/history';

/**
 * A task's status history: every distinct status seen, in arrival order. The same status reaches us
 * several times (TASK_UPDATED, then inside a re-added task's `statuses`, then in every snapshot after a
 * resync), so entries are keyed by what identifies a status and merged, never appended twice. We do
 * not collapse repeated states the way the master does (docs/mesos/api.md §0.10): a FAILED with
 * REASON_AGENT_REREGISTERED followed by a FAILED with REASON_EXECUTOR_TERMINATED is the story of
 * docs/mesos/faults.md row 12, and both are worth showing.
 */

export function statusEntry(s: TaskStatus): StatusEntry {
  const ip = s.container_status?.network_infos?.flatMap((n) => n.ip_addresses ?? []).find((a) => a.ip_address)?.ip_address;
  const unreachable = s.unreachable_time?.nanoseconds;
  return {
    state: s.state,
    at: s.timestamp !== undefined ? s.timestamp * 1000 : undefined,
    source: s.source,
    reason: s.reason,
    message: s.message,
    agentId: s.agent_id?.value,
    executorId: s.executor_id?.value || undefined,
    containerId: s.container_status?.container_id?.value,
    ip,
    healthy: s.healthy,
    unreachableAt: unreachable !== undefined && unreachable > 0 ? unreachable / 1e6 : undefined,
  };
}

/** A status' identity: Mesos stamps each update once (`timestamp`), and keeps it wherever it is copied. */
const identity = (e: StatusEntry) => `${e.state}|${e.at ?? e.message ?? ''}|${e.source ?? ''}|${e.reason ?? ''}`;

/** Fields the first copy lacked are filled from a later copy (the master strips `data`, not the rest). */
function fill(old: StatusEntry, next: StatusEntry): StatusEntry {
  const out: StatusEntry = { ...old };
  for (const [k, v] of Object.entries(next) as Array<[keyof StatusEntry, unknown]>) {
    if (v !== undefined && out[k] === undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The bound is shared with the subscribers that append new statuses themselves (shared/dashboard/history.ts). */
export { MAX_STATUS_HISTORY };

/** `history` with `incoming` merged in (bounded: MAX_STATUS_HISTORY); the same array when nothing changed. */
export function mergeStatuses(history: readonly StatusEntry[], incoming: readonly StatusEntry[]): readonly StatusEntry[] {
  let out: StatusEntry[] | null = null;
  const index = new Map(history.map((e, i) => [identity(e), i]));
  // A full history may have dropped older statuses: one older than all it kept (a resync snapshot
  // repeats them) is not taken back in.
  const keptFrom = history.length >= MAX_STATUS_HISTORY ? history[1]?.at : undefined;
  for (const e of incoming) {
    const key = identity(e);
    const at = index.get(key);
    if (at === undefined && keptFrom !== undefined && e.at !== undefined && e.at < keptFrom) continue;
    const list: StatusEntry[] = out ?? [...history];
    if (at === undefined) {
      index.set(key, list.length);
      list.push(e);
      out = list;
      continue;
    }
    const merged = fill(list[at]!, e);
    if (Object.keys(merged).some((k) => merged[k as keyof StatusEntry] !== list[at]![k as keyof StatusEntry])) {
      list[at] = merged;
      out = list;
    }
  }
  if (out && out.length > MAX_STATUS_HISTORY) out.splice(1, out.length - MAX_STATUS_HISTORY);
  return out ?? history;
}
