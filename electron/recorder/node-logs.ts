import type Dockerode from 'dockerode';
import type { LogLine, NodeRef } from '@shared/doctor/evidence';
import { parseGlogLine } from '@shared/doctor/glog';
import { demultiplexLines } from '../logs/container-log';

/**
 * Follows the logs of a cluster's master and agent containers (Mesos logs to stderr with glog) and
 * hands on the lines a filter keeps, in small batches. Docker stamps each line (`timestamps: true`),
 * which gives its exact time; a node that stops is followed again once it is back, from where its log
 * left off, so a restart costs no line and repeats none.
 */

export interface LogTarget {
  node: NodeRef;
  /** Container name or id. */
  container: string;
}

export interface FollowLogsOptions {
  /** Which lines to keep (default: all). */
  keep?: (line: LogLine) => boolean;
  /** Lines written before this (ms) are skipped (default: now). */
  since?: number;
  /** Lines are handed on at most this often (default 250 ms). */
  batchMs?: number;
  /** How often a stopped node is looked at again (default 1000 ms). */
  retryMs?: number;
}

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) /;

export async function followNodeLogs(
  docker: () => Dockerode,
  targets: readonly LogTarget[],
  onLines: (lines: LogLine[]) => void,
  signal: AbortSignal,
  options: FollowLogsOptions = {},
): Promise<void> {
  let pending: LogLine[] = [];
  const timer = setInterval(() => {
    if (pending.length === 0) return;
    const batch = pending.sort((a, b) => a.at - b.at);
    pending = [];
    onLines(batch);
  }, options.batchMs ?? 250);
  try {
    await Promise.all(targets.map((t) => followOne(docker, t, (l) => pending.push(l), signal, options)));
  } finally {
    clearInterval(timer);
    if (pending.length > 0) onLines(pending.sort((a, b) => a.at - b.at));
  }
}

async function followOne(docker: () => Dockerode, target: LogTarget, onLine: (l: LogLine) => void, signal: AbortSignal, options: FollowLogsOptions): Promise<void> {
  // Docker's own stamp of the last line taken: fixed-width RFC 3339 with nanoseconds, so it compares as text.
  let lastStamp = '';
  let sinceSecs = Math.floor((options.since ?? Date.now()) / 1000);
  const sinceMs = options.since ?? Date.now();
  while (!signal.aborted) {
    try {
      const container = docker().getContainer(target.container);
      const stream = (await container.logs({ follow: true, stdout: true, stderr: true, timestamps: true, since: sinceSecs, abortSignal: signal } as never)) as unknown as NodeJS.ReadableStream;
      const take = (line: string) => {
        const stamp = STAMP.exec(line)?.[1];
        if (stamp) {
          if (stamp <= lastStamp) return;
          lastStamp = stamp;
          if (Date.parse(stamp) < sinceMs) return;
        }
        const parsed = parseGlogLine(line, { node: target.node, reference: Date.now() });
        if (parsed && (!options.keep || options.keep(parsed))) onLine(parsed);
      };
      // The logs feature's demultiplexer: whole lines, UTF-8 characters never cut at a chunk border.
      const lines = demultiplexLines(docker(), stream, ({ text }) => {
        for (const line of text.split('\n')) if (line) take(line);
      });
      await new Promise<void>((resolve) => {
        const done = () => {
          // A stopped container's stream ends at once and is opened again each round: the listener goes
          // with its round, or they pile up on the signal.
          signal.removeEventListener('abort', done);
          lines.flush();
          (stream as unknown as { destroy?: () => void }).destroy?.();
          resolve();
        };
        stream.on('end', done);
        stream.on('error', done);
        signal.addEventListener('abort', done, { once: true });
      });
    } catch {
      // No such container yet, or Docker away: look again.
    }
    if (signal.aborted) return;
    if (lastStamp) sinceSecs = Math.floor(Date.parse(lastStamp) / 1000);
    await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1000));
  }
}
