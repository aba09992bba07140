import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterLayout } from '@shared/cluster/layout';

/** The recordings of a real Mesos 1.12 (testbed/transcripts, read-only). */
export const TRANSCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../testbed/transcripts');

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

/** The body of a recorded `curl -i` answer (`*.http`). */
export function httpBody(relative: string): string {
  const text = transcriptBytes(relative).toString('utf8');
  const at = text.search(/\r?\n\r?\n/);
  return at < 0 ? '' : text.slice(at).replace(/^\r?\n\r?\n/, '');
}

/** A recorded operator stream (`operator*.events.jsonl`): each event with its ms since the stream opened. */
export const recordedOperatorEvents = (relative: string) => jsonLines<{ t: number; event: { type: string } & Record<string, unknown> }>(relative);

/** The layout of the cluster the transcripts were recorded on: agent S1 on 5051, S0 on 5052 (transcripts/README.md). */
export const TRANSCRIPT_LAYOUT: ClusterLayout = {
  network: 'host',
  hostAddress: '127.0.0.1',
  zookeeper: { port: 2181 },
  masters: [{ index: 1, port: 5050 }],
  agents: [
    { index: 1, port: 5051, taskPorts: { begin: 31000, end: 31099 }, workDir: '/var/lib/mesos/agent1' },
    { index: 2, port: 5052, taskPorts: { begin: 32000, end: 32099 }, workDir: '/var/lib/mesos/agent2' },
  ],
};

