import { createReadStream } from 'node:fs';
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
}

type Problem = 'not-a-recording' | 'corrupt' | 'truncated' | 'newer-version' | 'unreadable';

function problem(kind: Problem, path: string, message: string, line?: number): ApiError {
  return new ApiError(kind === 'newer-version' ? 'refused' : 'invalid-input', message, { path, problem: kind, ...(line ? { line } : {}) });
}

export async function readRecording(path: string, options: ReadOptions = {}): Promise<Recording> {
  const appVersion = options.appVersion ?? APP_VERSION;
  let header: RecordingHeader | null = null;
  const entries: RecordingEntry[] = [];
  let skipped = 0;
  let ended = false;
  let lineNo = 0;

  const onLine = (text: string) => {
    lineNo += 1;
    if (text.trim() === '') return;
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
    else entries.push(entry.data);
  };

  const cutShort = await readLines(path, onLine);
  if (!header) throw problem('not-a-recording', path, `${path} is not a Mesoscope recording: it is empty.`);
  if (cutShort || !ended) {
    if (!options.partial) {
      const where = cutShort === 'mid-line' ? `in the middle of line ${lineNo + 1}` : `after line ${lineNo}, without its end line`;
      throw problem('truncated', path, `Recording ${path} was cut short ${where} (the app stopped while recording?). It can be opened partially.`, lineNo);
    }
  }
  return { header, entries, complete: ended && !cutShort, skipped };
}

/** The header alone (to list recordings, or to check one before opening it). */
export async function readRecordingHeader(path: string, options: { appVersion?: string } = {}): Promise<RecordingHeader> {
  let header: RecordingHeader | null = null;
  const stop = new Error('header read');
  try {
    await readLines(path, (text) => {
      if (text.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw problem('not-a-recording', path, `${path} is not a Mesoscope recording: its first line is not JSON.`, 1);
      }
      header = parseHeader(json, path, options.appVersion ?? APP_VERSION);
      throw stop;
    });
  } catch (err) {
    if (err !== stop) throw err;
  }
  if (!header) throw problem('not-a-recording', path, `${path} is not a Mesoscope recording: it is empty.`);
  return header;
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

/**
 * Calls onLine for each line of the gunzipped file, in order. Resolves with how the data ended:
 * undefined (cleanly), 'mid-line' (the last line has no newline), or 'gzip' (the compressed stream
 * stops early). Rejects with what onLine throws, or a clear error for a file that is not gzip.
 */
function readLines(path: string, onLine: (text: string) => void): Promise<'mid-line' | 'gzip' | undefined> {
  return new Promise((resolve, reject) => {
    const file = createReadStream(path);
    const gunzip = createGunzip();
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let settled = false;
    let any = false;
    const finish = (err: unknown, how?: 'mid-line' | 'gzip') => {
      if (settled) return;
      settled = true;
      file.destroy();
      gunzip.destroy();
      if (err) reject(err);
      else resolve(how);
    };
    const lines = (text: string) => {
      rest += text;
      let nl = rest.indexOf('\n');
      while (nl >= 0) {
        const line = rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        onLine(line);
        nl = rest.indexOf('\n');
      }
    };
    file.on('error', (err: NodeJS.ErrnoException) =>
      finish(problem('unreadable', path, err.code === 'ENOENT' ? `No recording at ${path}.` : `Cannot read ${path}: ${err.message}`)),
    );
    gunzip.on('data', (chunk: Buffer) => {
      any = true;
      try {
        lines(decoder.write(chunk));
      } catch (err) {
        finish(err);
      }
    });
    gunzip.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      // zlib says Z_BUF_ERROR ("unexpected end of file") when the compressed stream stops early.
      if (err.code === 'Z_BUF_ERROR') return finish(undefined, rest.trim() === '' ? 'gzip' : 'mid-line');
      if (!any) return finish(problem('not-a-recording', path, `${path} is not a Mesoscope recording: it is not gzip-compressed (${err.message}).`));
      finish(problem('corrupt', path, `Recording ${path} is damaged: ${err.message}.`));
    });
    gunzip.on('end', () => {
      try {
        lines(decoder.end());
      } catch (err) {
        return finish(err);
      }
      finish(undefined, rest.trim() === '' ? undefined : 'mid-line');
    });
    file.pipe(gunzip);
  });
}
