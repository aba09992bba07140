// Access to the recorded Mesos 1.12 transcripts (testbed/transcripts, see its README), and a parser for
// their `.http` files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const transcriptsDir = path.resolve(repoRoot, 'testbed/transcripts');

/** Absolute path of a transcript file, e.g. transcript('http/master-state.http'). */
export function transcript(relative: string): string {
  const p = path.join(transcriptsDir, relative);
  if (!fs.existsSync(p)) throw new Error(`transcript missing: ${relative}`);
  return p;
}

export interface HttpTranscript {
  status: number;
  reason: string;
  /** In recorded order, names as written. */
  headers: Array<[string, string]>;
  body: Buffer;
  header(name: string): string | undefined;
  json(): unknown;
}

/** Parses `curl -i` output: status line, headers (CRLF or LF), blank line, body (the rest). */
export function parseHttp(bytes: Buffer): HttpTranscript {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  let headEnd: number;
  let sep: number;
  if (crlf >= 0 && (lf < 0 || crlf < lf)) {
    headEnd = crlf;
    sep = 4;
  } else if (lf >= 0) {
    headEnd = lf;
    sep = 2;
  } else {
    headEnd = bytes.length;
    sep = 0;
  }
  const head = bytes.subarray(0, headEnd).toString('latin1').split(/\r?\n/);
  const statusLine = head.shift() ?? '';
  const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
  if (!m) throw new Error(`not an HTTP transcript: ${statusLine}`);
  const headers: Array<[string, string]> = head.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  // Not cut at Content-Length: host paths in some bodies were rewritten after recording
  // (transcripts/README.md), so their Content-Length no longer matches.
  const body = bytes.subarray(Math.min(bytes.length, headEnd + sep));
  return {
    status: Number(m[1]),
    reason: m[2] ?? '',
    headers,
    body,
    header: (name) => headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1],
    json: () => JSON.parse(body.toString('utf8')) as unknown,
  };
}

export function readHttp(relative: string): HttpTranscript {
  return parseHttp(fs.readFileSync(transcript(relative)));
}

export function readJson(relative: string): unknown {
  return JSON.parse(fs.readFileSync(transcript(relative), 'utf8')) as unknown;
}

export interface RecordedEvent {
  t: number;
  event: { type: string } & Record<string, unknown>;
}

export function readEvents(relative: string): RecordedEvent[] {
  return fs
    .readFileSync(transcript(relative), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RecordedEvent);
}

/** Folders present in the transcripts directory. */
export function transcriptFolders(): string[] {
  return fs
    .readdirSync(transcriptsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}
