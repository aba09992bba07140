import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { ApiError } from '@shared/errors';
import {
  checkFormatVersion,
  ENTRY_KINDS,
  HeaderProbeSchema,
  type RecordingEntry,
  RecordingEntrySchema,
  type RecordingHeader,
  RecordingHeaderSchema,
} from '@shared/recording/schema';
import { describeIssues, fieldIssues } from '@shared/validation';
import { APP_VERSION } from '../app-version';

/**
 * Opens a recording: gunzips and reads it line by line, checks the header and its format version
 * before anything else (a newer major is refused, naming both versions), validates every entry, and
 * says exactly what is wrong with a file that is not a recording, is damaged, or was cut short.
 * Errors are ApiErrors: `invalid-input` for a file that cannot be read as a recording, `refused` for
 * one made by a newer Mesoscope.
 */

export interface Recording {
  header: RecordingHeader;
  entries: RecordingEntry[];
  /** The file ended with its `end` line. */
  complete: boolean;
  /** Entries of kinds this version does not know (written by a newer minor version): skipped. */
  skipped: number;
}

export interface ReadOptions {
  /** Open what can be read of a file that was cut short (a crash while recording) instead of refusing it. */
  partial?: boolean;
  /** This reader's app version, for messages (default: the package's). */
  appVersion?: string;
  /** Lower limits, for tests. */
  limits?: Partial<ReadLimits>;
}

type Problem = 'not-a-recording' | 'corrupt' | 'truncated' | 'newer-version' | 'unreadable' | 'too-large';

function problem(kind: Problem, path: string, message: string, line?: number): ApiError {
  const code = kind === 'newer-version' || kind === 'too-large' ? 'refused' : 'invalid-input';
  return new ApiError(code, message, { path, problem: kind, ...(line ? { line } : {}) });
}

/**
 * What a file may cost to read. A recording is a file someone may send: it must not make the app
 * spin, swell or hang (issue 15 #3 and #7). Real recordings are far below each: 3000 tasks make
 * 12 073 entries in 0.53 MB (gzip ratio 20), and the largest line is one view snapshot.
 */
export const READ_LIMITS = {
  /** The file on disk (the same as an upload's cap). */
  fileBytes: 512 * 1024 * 1024,
  /** Once inflated. */
  inflatedBytes: 1024 * 1024 * 1024,
  /** Inflated bytes per compressed byte, past the first few MB: gzip of JSON stays far below; a gzip bomb far above. */
  ratio: 200,
  ratioAfterBytes: 16 * 1024 * 1024,
  /** One line (characters): a snapshot of a big cluster's view is a few MB. */
  lineChars: 32 * 1024 * 1024,
  /** The header line, the only one a listing reads. */
  headerChars: 1024 * 1024,
  entries: 2_000_000,
};
export type ReadLimits = typeof READ_LIMITS;

export async function readRecording(path: string, options: ReadOptions = {}): Promise<Recording> {
  const appVersion = options.appVersion ?? APP_VERSION;
  const limits = { ...READ_LIMITS, ...options.limits };
  let header: RecordingHeader | null = null;
  const entries: RecordingEntry[] = [];
  let skipped = 0;
  let ended = false;
  let lineNo = 0;

  const onLine = (text: string) => {
    lineNo += 1;
    if (text.trim() === '') return;
    if (!header && text.length > limits.headerChars) throw headerTooLong(path, limits);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw header
        ? problem('corrupt', path, `Recording ${path} is damaged: line ${lineNo} is not JSON.`, lineNo)
        : problem('not-a-recording', path, `${path} is not a Mesoscope recording: its first line is not JSON.`, lineNo);
    }
    if (!header) {
      header = parseHeader(json, path, appVersion);
      return;
    }
    if (ended) throw problem('corrupt', path, `Recording ${path} is damaged: line ${lineNo} comes after the end line.`, lineNo);
    const kind = (json as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string' && !ENTRY_KINDS.has(kind)) {
      skipped += 1;
      return;
    }
    const entry = RecordingEntrySchema.safeParse(json);
    if (!entry.success) throw problem('corrupt', path, `Recording ${path} is damaged: line ${lineNo}: ${describeIssues(fieldIssues(entry.error))}.`, lineNo);
    if (entry.data.kind === 'end') ended = true;
    else if (entries.push(entry.data) > limits.entries) {
      throw problem('too-large', path, `Recording ${path} holds more than ${limits.entries.toLocaleString('en-US')} entries: more than Mesoscope opens.`, lineNo);
    }
  };

  const read = await readLines(path, onLine, limits, !header ? limits.headerChars : limits.lineChars);
  if (!header) throw noHeader(path, read);
  if (read.end || !ended) {
    if (!options.partial) {
      const where = read.end === 'mid-line' ? `in the middle of line ${lineNo + 1}` : `after line ${lineNo}, without its end line`;
      throw problem('truncated', path, `Recording ${path} was cut short ${where} (the app stopped while recording?). It can be opened partially.`, lineNo);
    }
  }
  return { header, entries, complete: ended && !read.end, skipped };
}

/** The header alone (to list recordings, or to check one before opening it): only its first line is inflated. */
export async function readRecordingHeader(path: string, options: { appVersion?: string; limits?: Partial<ReadLimits> } = {}): Promise<RecordingHeader> {
  const limits = { ...READ_LIMITS, ...options.limits };
  let header: RecordingHeader | null = null;
  const stop = new Error('header read');
  let read: LinesRead = { end: undefined, inflated: 0 };
  try {
    read = await readLines(
      path,
      (text) => {
        if (text.trim() === '') return;
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw problem('not-a-recording', path, `${path} is not a Mesoscope recording: its first line is not JSON.`, 1);
        }
        header = parseHeader(json, path, options.appVersion ?? APP_VERSION);
        throw stop;
      },
      limits,
      limits.headerChars,
    );
  } catch (err) {
    if (err !== stop) throw err;
  }
  if (!header) throw noHeader(path, read);
  return header;
}

function noHeader(path: string, read: LinesRead): ApiError {
  if (read.inflated === 0) return problem('not-a-recording', path, `${path} is not a Mesoscope recording: it is empty.`);
  if (read.end === 'mid-line') return problem('truncated', path, `${path} was cut short in the middle of its first line (its header): it cannot be opened.`, 1);
  return problem('not-a-recording', path, `${path} is not a Mesoscope recording: it holds only blank lines, no header.`);
}

function headerTooLong(path: string, limits: ReadLimits): ApiError {
  return problem('not-a-recording', path, `${path} is not a Mesoscope recording: its first line is longer than a header (${mib(limits.headerChars)}).`, 1);
}

function parseHeader(json: unknown, path: string, appVersion: string): RecordingHeader {
  const probe = HeaderProbeSchema.safeParse(json);
  if (!probe.success) throw problem('not-a-recording', path, `${path} is not a Mesoscope recording: its first line is not a recording header.`, 1);
  const version = checkFormatVersion(probe.data.formatVersion, probe.data.app, { appVersion });
  if (!version.ok) throw problem('newer-version', path, version.message, 1);
  const header = RecordingHeaderSchema.safeParse(json);
  if (!header.success) throw problem('corrupt', path, `Recording ${path} is damaged: its header: ${describeIssues(fieldIssues(header.error))}.`, 1);
  return header.data;
}

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

interface LinesRead {
  /** How the data ended: cleanly (undefined), inside a line, or inside the compressed stream. */
  end: 'mid-line' | 'gzip' | undefined;
  /** Bytes inflated. */
  inflated: number;
}

/**
 * Calls onLine for each line of the gunzipped file, in order, scanning each byte once. Refuses, by
 * name, what is not a regular file (a FIFO would block a libuv thread for good: opened non-blocking,
 * checked before any read), a file over the size cap, a line over `firstLineChars` (the first) or
 * `lineChars`, and data that inflates beyond the caps (a gzip bomb). Rejects with what onLine throws.
 */
async function readLines(path: string, onLine: (text: string) => void, limits: ReadLimits, firstLineChars: number): Promise<LinesRead> {
  const file = await openRegularFile(path, limits);
  return new Promise((resolve, reject) => {
    const stream = file.createReadStream({ highWaterMark: 64 * 1024 });
    const gunzip = createGunzip({ chunkSize: 64 * 1024 });
    const decoder = new StringDecoder('utf8');
    /** The current line's pieces so far (it spans chunks), and their length. */
    let pieces: string[] = [];
    let pending = 0;
    let lines = 0;
    let compressed = 0;
    let inflated = 0;
    let settled = false;
    const finish = (err: unknown, end?: LinesRead['end']) => {
      if (settled) return;
      settled = true;
      stream.destroy();
      gunzip.destroy();
      if (err) reject(err);
      else resolve({ end, inflated });
    };
    const cap = () => (lines === 0 ? firstLineChars : limits.lineChars);
    const tooLong = () =>
      lines === 0 && firstLineChars < limits.lineChars
        ? headerTooLong(path, limits)
        : problem('too-large', path, `Recording ${path} has a line longer than ${mib(cap())} (line ${lines + 1}): more than Mesoscope reads.`, lines + 1);
    const scan = (text: string) => {
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (pending + nl - start > cap()) throw tooLong();
        let line = text.slice(start, nl);
        if (pending > 0) {
          pieces.push(line);
          line = pieces.join('');
          pieces = [];
          pending = 0;
        }
        start = nl + 1;
        onLine(line);
        lines += 1;
      }
      if (start < text.length) {
        pending += text.length - start;
        if (pending > cap()) throw tooLong();
        pieces.push(text.slice(start));
      }
    };
    const rest = () => pieces.join('').trim();
    stream.on('data', (chunk: Buffer | string) => {
      compressed += chunk.length;
    });
    stream.on('error', (err: NodeJS.ErrnoException) => finish(problem('unreadable', path, `Cannot read ${path}: ${err.message}`)));
    gunzip.on('data', (chunk: Buffer) => {
      inflated += chunk.length;
      try {
        if (inflated > limits.inflatedBytes) {
          throw problem('too-large', path, `Recording ${path} inflates to more than ${mib(limits.inflatedBytes)}: more than Mesoscope reads.`);
        }
        if (inflated > limits.ratioAfterBytes && inflated > compressed * limits.ratio) {
          throw problem('too-large', path, `${path} inflates to over ${limits.ratio} times its size (a gzip bomb?): a recording never does, so it is not read further.`);
        }
        scan(decoder.write(chunk));
      } catch (err) {
        finish(err);
      }
    });
    gunzip.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      // zlib says Z_BUF_ERROR ("unexpected end of file") when the compressed stream stops early.
      if (err.code === 'Z_BUF_ERROR') return finish(undefined, rest() === '' ? 'gzip' : 'mid-line');
      if (inflated === 0) return finish(problem('not-a-recording', path, `${path} is not a Mesoscope recording: it is not gzip-compressed (${err.message}).`));
      finish(problem('corrupt', path, `Recording ${path} is damaged: ${err.message}.`));
    });
    gunzip.on('end', () => {
      try {
        scan(decoder.end());
      } catch (err) {
        return finish(err);
      }
      finish(undefined, rest() === '' ? undefined : 'mid-line');
    });
    stream.pipe(gunzip);
  });
}

/** Opens without blocking (a FIFO or device would block the read for good) and keeps only a regular file within the size cap. */
async function openRegularFile(path: string, limits: ReadLimits): Promise<FileHandle> {
  let file: FileHandle;
  try {
    file = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw problem('unreadable', path, e.code === 'ENOENT' ? `No recording at ${path}.` : `Cannot read ${path}: ${e.message}`);
  }
  try {
    const info = await file.stat();
    if (!info.isFile()) throw problem('unreadable', path, `${path} is not a regular file (${kindOf(info)}): only recording files are opened.`);
    if (info.size > limits.fileBytes) throw problem('too-large', path, `${path} is ${mib(info.size)}: larger than the ${mib(limits.fileBytes)} Mesoscope opens.`);
    return file;
  } catch (err) {
    await file.close();
    throw err;
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file';
}
