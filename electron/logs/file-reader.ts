import { FilesError, READ_CHUNK, type FilesClient } from '../mesos/agent-client';
import type { Credit } from './log-streams';
import { utf8Boundary, utf8Start } from './line-assembler';

/**
 * Reading a file through /files in 64 KiB steps: ranges of whole lines (for paging through a file
 * that is never loaded whole), and following (the tail algorithm of docs/mesos/api.md §5.2, with several reads
 * in flight while far behind).
 */

const NL = 0x0a;
/** Reads in flight at once while catching up, or while reading a range. */
export const PARALLEL = 6;

/** Bytes [start, end) of a file, read in 64 KiB pieces, several at a time; stops early at the end of the file. */
export async function readSpan(files: FilesClient, path: string, start: number, end: number, signal?: AbortSignal): Promise<Buffer> {
  const offsets: number[] = [];
  for (let at = start; at < end; at += READ_CHUNK) offsets.push(at);
  const pieces: Buffer[] = [];
  for (let i = 0; i < offsets.length; i += PARALLEL) {
    const batch = offsets.slice(i, i + PARALLEL);
    const read = await Promise.all(batch.map((at) => files.read(path, at, Math.min(READ_CHUNK, end - at), signal)));
    for (const piece of read) {
      pieces.push(piece);
      if (piece.length < READ_CHUNK) return Buffer.concat(pieces);
    }
  }
  return Buffer.concat(pieces);
}

/** Where the first whole line at or after `offset` starts (the file's start is one). */
export async function lineStartAtOrAfter(files: FilesClient, path: string, offset: number, signal?: AbortSignal): Promise<number> {
  if (offset <= 0) return 0;
  // The byte before tells whether `offset` itself begins a line.
  const bytes = await files.read(path, offset - 1, READ_CHUNK, signal);
  const nl = bytes.indexOf(NL);
  if (nl >= 0) return offset + nl;
  // One line longer than a read: start at a character boundary inside it.
  return offset - 1 + utf8Start(bytes, 1);
}

export interface LineRange {
  start: number;
  end: number;
  size: number;
  text: string;
}

/**
 * Whole lines either starting at the first line start at or after `from`, or ending at `before` (-1:
 * the end of the file), at most `maxBytes` of them. At the end of the file the last line may lack its
 * `\n`. A single line longer than `maxBytes` is cut at a character boundary.
 */
export async function readLines(
  files: FilesClient,
  path: string,
  where: { from: number } | { before: number },
  maxBytes: number,
  signal?: AbortSignal,
): Promise<LineRange> {
  const size = await files.size(path, signal);
  if ('from' in where) {
    const from = Math.min(where.from, size);
    const readStart = from > 0 ? from - 1 : 0;
    const bytes = await readSpan(files, path, readStart, Math.min(size, from + maxBytes), signal);
    let s = 0;
    if (from > 0) {
      const nl = bytes.indexOf(NL);
      s = nl >= 0 ? nl + 1 : utf8Start(bytes, 1);
    }
    let e = bytes.length;
    if (readStart + e < size) {
      const last = bytes.lastIndexOf(NL);
      e = last >= s ? last + 1 : utf8Boundary(bytes, e);
    }
    return { start: readStart + s, end: readStart + e, size, text: bytes.subarray(s, Math.max(s, e)).toString('utf8') };
  }
  const before = where.before < 0 ? size : Math.min(where.before, size);
  const start = Math.max(0, before - maxBytes);
  const bytes = await readSpan(files, path, start, before, signal);
  let s = 0;
  if (start > 0) {
    const nl = bytes.indexOf(NL);
    s = nl >= 0 && nl + 1 < bytes.length ? nl + 1 : utf8Start(bytes, 0);
  }
  return { start: start + s, end: start + bytes.length, size, text: bytes.subarray(s).toString('utf8') };
}

export interface FollowFileOptions {
  files: FilesClient;
  path: string;
  /** Byte offset to start at (a line start). */
  start: number;
  /** Keep reading as the file grows; false: read to the end and stop. */
  follow: boolean;
  /** Whether whoever writes the file is done (the task ended); asked at most every `endedCheckMs`. */
  ended: () => Promise<boolean>;
  credit: Credit;
  signal: AbortSignal;
  onBytes: (bytes: Buffer, offset: number) => void;
  onProblem: (message: string) => void;
  /** Wait between reads once caught up (default 250 ms; the Mesos web UI waits 1 s). */
  pollMs?: number;
  endedCheckMs?: number;
}

/**
 * Reads from `start` until the end of the file, then (when following) polls for more until the
 * writer has ended and one last read finds nothing new. A full 64 KiB read means more is waiting:
 * several reads are then kept in flight (readAhead). A node that does not answer is retried (the
 * problem reported); a file that disappears ends the reading with an error.
 */
export async function followFile(options: FollowFileOptions): Promise<'eof' | 'ended' | 'aborted'> {
  const { credit, signal } = options;
  const pollMs = options.pollMs ?? 250;
  const endedCheckMs = options.endedCheckMs ?? 1000;
  let offset = options.start;
  let finishing = false;
  let lastEndedCheck = 0;
  let failures = 0;
  while (!signal.aborted) {
    await credit.ready(signal);
    if (signal.aborted) break;
    let caughtUp: boolean;
    try {
      const read = await readAhead(options, offset);
      offset = read.offset;
      caughtUp = read.caughtUp;
      failures = 0;
    } catch (err) {
      if (signal.aborted) break;
      if (err instanceof FilesError && (err.kind === 'not-found' || err.kind === 'invalid')) throw err;
      failures += 1;
      options.onProblem(`${(err as Error).message}; trying again`);
      await sleep(Math.min(5000, 250 * 2 ** Math.min(failures, 5)), signal);
      continue;
    }
    if (!caughtUp) continue;
    if (!options.follow) return 'eof';
    if (finishing) return 'ended';
    if (Date.now() - lastEndedCheck >= endedCheckMs) {
      lastEndedCheck = Date.now();
      // Ended: read once more (what was written just before the end), then stop.
      if (await options.ended().catch(() => false)) {
        finishing = true;
        continue;
      }
    }
    await sleep(pollMs, signal);
  }
  return 'aborted';
}

/**
 * Reads from `offset` until a read comes back short (the end of the file, as it was then) or the
 * credit runs out. While reads come back full, up to PARALLEL consecutive ones are kept in flight,
 * so the node serving them and this process work at the same time; results are taken in order, and
 * whatever was asked past a short read is dropped.
 */
async function readAhead(options: FollowFileOptions, start: number): Promise<{ offset: number; caughtUp: boolean }> {
  const { files, path, credit, signal } = options;
  const inFlight: Promise<Buffer>[] = [];
  let next = start;
  let offset = start;
  const ask = () => {
    inFlight.push(files.read(path, next, READ_CHUNK, signal));
    next += READ_CHUNK;
  };
  ask();
  try {
    while (inFlight.length > 0) {
      const data = await (inFlight.shift() as Promise<Buffer>);
      if (data.length > 0) {
        options.onBytes(data, offset);
        offset += data.length;
      }
      if (data.length < READ_CHUNK) return { offset, caughtUp: true };
      // A full read: more is likely waiting. Keep the window full while the viewer keeps up.
      while (inFlight.length < PARALLEL && credit.hasRoom && !signal.aborted) ask();
      if (inFlight.length === 0) return { offset, caughtUp: false };
    }
    return { offset, caughtUp: false };
  } finally {
    // Reads past the end (or past the credit) are dropped; their errors with them.
    for (const p of inFlight) p.catch(() => undefined);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The text, not a pattern; case-insensitive unless asked. */
export function textPattern(query: string, caseSensitive: boolean): RegExp {
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), caseSensitive ? 'g' : 'gi');
}

export interface FileSearch {
  found: { start: number; end: number; line: string } | null;
  scannedTo: number;
  done: boolean;
  size: number;
}

const SEARCH_STEP = 1024 * 1024;

/**
 * The first line at or after `from` (forward), or the last line ending at or before it (backward),
 * that contains `query`, reading at most `maxBytes` in 1 MiB ranges of whole lines.
 */
export async function searchFile(
  files: FilesClient,
  path: string,
  options: { query: string; caseSensitive: boolean; from: number; direction: 'forward' | 'backward'; maxBytes: number },
  signal?: AbortSignal,
): Promise<FileSearch> {
  const pattern = textPattern(options.query, options.caseSensitive);
  let at = options.from;
  let scanned = 0;
  for (;;) {
    const range = await readLines(files, path, options.direction === 'forward' ? { from: at } : { before: at }, SEARCH_STEP, signal);
    pattern.lastIndex = 0;
    let index = -1;
    for (let m = pattern.exec(range.text); m; m = pattern.exec(range.text)) {
      index = m.index;
      if (options.direction === 'forward') break;
      pattern.lastIndex = m.index + 1;
    }
    if (index >= 0) {
      const lineStart = range.text.lastIndexOf('\n', index - 1) + 1;
      const nl = range.text.indexOf('\n', index);
      const lineEnd = nl < 0 ? range.text.length : nl + 1;
      const start = range.start + Buffer.byteLength(range.text.slice(0, lineStart));
      const line = range.text.slice(lineStart, nl < 0 ? range.text.length : nl);
      return { found: { start, end: start + Buffer.byteLength(range.text.slice(lineStart, lineEnd)), line }, scannedTo: at, done: false, size: range.size };
    }
    scanned += range.end - range.start;
    const done = options.direction === 'forward' ? range.end >= range.size || range.end === at : range.start <= 0 || range.start === at;
    at = options.direction === 'forward' ? range.end : range.start;
    if (done || scanned >= options.maxBytes) return { found: null, scannedTo: at, done, size: range.size };
  }
}
