import type { LogLine, NodeRef } from '@shared/doctor/evidence';
import { parseGlogLine } from '@shared/doctor/glog';
import { followFile, lineStartAtOrAfter } from '../logs/file-reader';
import { LineAssembler } from '../logs/line-assembler';
import { Credit } from '../logs/log-streams';
import type { FilesClient } from '../mesos/agent-client';

/**
 * Follows the Mesos log files of a cluster's masters and agents through /files (`/master/log`,
 * `/slave/log`: served only by nodes that run with --log_dir), for a cluster whose containers are not
 * ours to read (an attached one). Like followNodeLogs, it hands on the glog lines a filter keeps in
 * small batches; a file starts `lookbackBytes` before its end, and lines older than `since` are
 * skipped. A node that stops answering is retried by followFile, with no line taken twice.
 */

export interface FileLogTarget {
  node: NodeRef;
  files: FilesClient;
  /** `/master/log` or `/slave/log`. */
  path: string;
}

export interface FollowFileLogsOptions {
  keep?: (line: LogLine) => boolean;
  /** Lines written before this (ms) are skipped (default: now). */
  since?: number;
  /** How far back from the end of each file reading starts (default 256 KiB). */
  lookbackBytes?: number;
  batchMs?: number;
  pollMs?: number;
  /** Something went wrong with one file (it is retried, or given up when it disappears). */
  onProblem?: (message: string) => void;
}

/** Nothing waits for a viewer here: the window only bounds what one read holds. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

export async function followFileLogs(targets: readonly FileLogTarget[], onLines: (lines: LogLine[]) => void, signal: AbortSignal, options: FollowFileLogsOptions = {}): Promise<void> {
  let pending: LogLine[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const batch = pending.sort((a, b) => a.at - b.at);
    pending = [];
    onLines(batch);
  };
  const timer = setInterval(flush, options.batchMs ?? 250);
  try {
    await Promise.all(targets.map((t) => followOne(t, (l) => pending.push(l), signal, options)));
  } finally {
    clearInterval(timer);
    flush();
  }
}

async function followOne(target: FileLogTarget, onLine: (l: LogLine) => void, signal: AbortSignal, options: FollowFileLogsOptions): Promise<void> {
  const since = options.since ?? Date.now();
  const problem = (message: string) => options.onProblem?.(`${target.node.role}-${target.node.index} ${target.path}: ${message}`);
  let start: number;
  try {
    const size = await target.files.size(target.path, signal);
    start = await lineStartAtOrAfter(target.files, target.path, Math.max(0, size - (options.lookbackBytes ?? 256 * 1024)), signal);
  } catch (err) {
    if (!signal.aborted) problem((err as Error).message);
    return;
  }
  const lines = new LineAssembler();
  const take = (text: string) => {
    for (const raw of text.split('\n')) {
      const parsed = parseGlogLine(raw, { node: target.node, reference: Date.now() });
      if (parsed && parsed.at >= since && (!options.keep || options.keep(parsed))) onLine(parsed);
    }
  };
  const credit = new Credit(UNBOUNDED);
  await followFile({
    files: target.files,
    path: target.path,
    start,
    follow: true,
    // A node's log is written for as long as the node runs: only the recording's end stops reading it.
    ended: async () => false,
    credit,
    signal,
    pollMs: options.pollMs ?? 1000,
    onBytes: (bytes) => {
      const out = lines.push(bytes);
      if (out.bytes > 0) take(out.text);
    },
    onProblem: problem,
  }).catch((err: unknown) => {
    if (!signal.aborted) problem((err as Error).message);
  });
}
