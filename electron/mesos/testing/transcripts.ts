import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The recordings of a real Mesos 1.12 beside the repo (../shared/mesos/transcripts, read-only). */
export const TRANSCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/mesos/transcripts');

export function transcriptBytes(relative: string): Buffer {
  return fs.readFileSync(path.join(TRANSCRIPTS, relative));
}

export interface RecordedCall {
  t: number;
  request: { type: string } & Record<string, unknown>;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export function jsonLines<T>(relative: string): T[] {
  return transcriptBytes(relative)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export const recordedCalls = (folder: string) => jsonLines<RecordedCall>(`${folder}/sched.calls.jsonl`);
export const recordedEvents = (folder: string) =>
  jsonLines<{ t: number; event: { type: string } & Record<string, unknown> }>(`${folder}/sched.events.jsonl`).map((e) => e.event);
