import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterSpecSchema } from '@shared/cluster/spec';
import { ApiError } from '@shared/errors';
import { RECORDING_FORMAT_VERSION, type RecordingHeader } from '@shared/recording/schema';
import { APP_VERSION } from '../app-version';
import { readRecording, readRecordingHeader } from './reader';
import { RecordingService } from './recording-service';

/**
 * Recording files someone sent (issue 15 #3, #7): truncated, gzip bombs, 100 MB lines, wrong
 * versions, FIFOs. Each is refused quickly, with words that name the cause, in bounded memory.
 */

const MiB = 1024 * 1024;
let dir: string;
const header: RecordingHeader = {
  kind: 'header',
  format: 'mesoscope-recording',
  formatVersion: RECORDING_FORMAT_VERSION,
  app: { name: 'Mesoscope', version: APP_VERSION },
  cluster: {
    name: 'hostile',
    spec: ClusterSpecSchema.parse({ name: 'hostile' }),
    layout: { network: 'host', hostAddress: '127.0.0.1', zookeeper: { port: 2181 }, masters: [{ index: 1, port: 5050 }], agents: [] },
    mesos: { version: '1.12.0', emulator: true },
  },
  startedAt: 1_795_272_900_000,
  logs: 'evidence',
};
const headerLine = `${JSON.stringify(header)}\n`;

/** Streams `total` bytes made of `piece` repeated (after `head`) through gzip into a file: the inflated data is never held. */
async function gzipFile(name: string, head: string, piece: Buffer, total: number, level = constants.Z_BEST_SPEED): Promise<string> {
  const path = join(dir, name);
  async function* chunks() {
    yield Buffer.from(head);
    for (let sent = 0; sent < total; sent += piece.length) yield piece;
  }
  await pipeline(Readable.from(chunks()), createGzip({ level }), createWriteStream(path));
  return path;
}

/** The refusal, how long it took and the most memory (heap + buffers) it used above where it started. */
async function measured(read: () => Promise<unknown>): Promise<{ err: ApiError; ms: number; peakMiB: number }> {
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const base = used();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 5);
  const started = performance.now();
  const err = await read().then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, used());
  expect(err).toBeInstanceOf(ApiError);
  return { err: err as ApiError, ms, peakMiB: (peak - base) / MiB };
}

let bomb: string;
let newlineBomb: string;
let longLine: string;
let longHeader: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dr-hostile-'));
  // 1 GiB once inflated, about 1 MB on disk: a header, then one entry repeated.
  const entry = Buffer.from(`${JSON.stringify({ kind: 'mark', t: header.startedAt, label: 'x'.repeat(200) })}\n`.repeat(4096));
  bomb = await gzipFile('bomb.mesorec', headerLine, entry, 1024 * MiB, constants.Z_BEST_COMPRESSION);
  newlineBomb = await gzipFile('newlines.mesorec', headerLine, Buffer.alloc(MiB, '\n'), 1024 * MiB, constants.Z_BEST_COMPRESSION);
  // 100 MB lines that do not compress (a random 1.4 MB block repeated beyond deflate's 32 KB window).
  const noise = Buffer.from(randomBytes(MiB).toString('base64'));
  longLine = await gzipFile('long-line.mesorec', headerLine, noise, 100 * MiB);
  longHeader = await gzipFile('long-header.mesorec', '', noise, 100 * MiB);
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hostile recording files are refused quickly, by name, in bounded memory', () => {
  it('a gzip bomb (1 GiB inflated from ~1 MB) is refused as one, before inflating much', async () => {
    expect((await stat(bomb)).size).toBeLessThan(8 * MiB);
    for (const file of [bomb, newlineBomb]) {
      const { err, ms, peakMiB } = await measured(() => readRecording(file));
      expect([err.code, err.detail]).toEqual(['refused', { path: file, problem: 'too-large' }]);
      expect(err.message).toMatch(/inflates to over 200 times its size \(a gzip bomb\?\)/);
      expect(ms).toBeLessThan(3000);
      expect(peakMiB).toBeLessThan(150);
    }
    // Listing reads the header only: the bomb lists with its header, costs nothing.
    expect((await readRecordingHeader(bomb)).cluster.name).toBe('hostile');
  });

  it('a 100 MB line is refused at the line cap; a 100 MB first line at the header cap', async () => {
    const line = await measured(() => readRecording(longLine));
    expect([line.err.code, line.err.detail]).toEqual(['refused', { path: longLine, problem: 'too-large', line: 2 }]);
    expect(line.err.message).toBe(`Recording ${longLine} has a line longer than 32 MiB (line 2): more than Mesoscope reads.`);
    expect(line.ms).toBeLessThan(5000);
    expect(line.peakMiB).toBeLessThan(250);

    for (const read of [() => readRecording(longHeader), () => readRecordingHeader(longHeader)]) {
      const head = await measured(read);
      expect(head.err.message).toBe(`${longHeader} is not a Mesoscope recording: its first line is longer than a header (1 MiB).`);
      expect(head.ms).toBeLessThan(1000);
      expect(head.peakMiB).toBeLessThan(64);
    }
  });

  it('wrong versions and cut-short headers are refused with the right words, not "empty"', async () => {
    const newer = join(dir, 'newer.mesorec');
    await writeFile(newer, gzipSync(`${JSON.stringify({ ...header, formatVersion: '99.0', app: { name: 'Mesoscope', version: '42.0.0' } })}\n`));
    const v = await measured(() => readRecording(newer));
    expect([v.err.code, v.err.detail]).toEqual(['refused', { path: newer, problem: 'newer-version', line: 1 }]);
    expect(v.err.message).toMatch(/99\.0/);
    expect(v.err.message).toContain('42.0.0');

    const cutHeader = join(dir, 'cut-header.mesorec');
    await writeFile(cutHeader, gzipSync(headerLine.slice(0, 200)));
    expect((await measured(() => readRecording(cutHeader))).err.message).toBe(`${cutHeader} was cut short in the middle of its first line (its header): it cannot be opened.`);
    expect((await measured(() => readRecordingHeader(cutHeader))).err.detail).toMatchObject({ problem: 'truncated' });

    const blank = join(dir, 'blank.mesorec');
    await writeFile(blank, gzipSync('\n\n  \n'));
    expect((await measured(() => readRecording(blank))).err.message).toBe(`${blank} is not a Mesoscope recording: it holds only blank lines, no header.`);

    const truncatedGzip = join(dir, 'truncated.mesorec');
    const whole = gzipSync(`${headerLine}${JSON.stringify({ kind: 'mark', t: header.startedAt, label: 'a' })}\n`);
    await writeFile(truncatedGzip, whole.subarray(0, whole.length - 12));
    expect((await measured(() => readRecording(truncatedGzip))).err.message).toMatch(/was cut short .* It can be opened partially\.$/);
  });

  it('FIFOs, folders and oversized files are refused before any read (nothing blocks)', async () => {
    const fifos = join(dir, 'fifos');
    await mkdir(fifos);
    for (const n of [1, 2, 3, 4, 5]) execFileSync('mkfifo', [join(fifos, `pipe-${n}.mesorec`)]);
    const fifo = join(fifos, 'pipe-1.mesorec');
    const { err, ms } = await measured(() => readRecording(fifo));
    expect(err.message).toBe(`${fifo} is not a regular file (a named pipe): only recording files are opened.`);
    expect(ms).toBeLessThan(1000);
    expect((await measured(() => readRecording(dir))).err.message).toContain('(a folder)');

    // Listing a folder of FIFOs answers at once, and so does the next listing (libuv's pool is free).
    const service = new RecordingService({ dir: fifos, docker: () => ({}) as never, engine: {} as never, monitors: {} as never });
    const started = performance.now();
    expect(await service.list()).toEqual([]);
    expect(await service.list()).toEqual([]);
    await expect(service.open(fifo)).rejects.toThrow(/not a regular file \(a named pipe\)/);
    expect(performance.now() - started).toBeLessThan(2000);

    const big = join(dir, 'big.mesorec');
    await writeFile(big, gzipSync(headerLine));
    const tooBig = await measured(() => readRecording(big, { limits: { fileBytes: 10 } }));
    expect(tooBig.err.message).toMatch(/larger than the 0 MiB Mesoscope opens\.$/);
  });

  it('a long line is scanned once: 30 MB in one line spread over many chunks reads in linear time', async () => {
    const noise = Buffer.from(randomBytes(MiB).toString('base64'));
    const path = await gzipFile('thirty.mesorec', headerLine, noise, 30 * MiB);
    const started = performance.now();
    // It ends without a newline: a line cut short, read whole first.
    const partial = await readRecording(path, { partial: true });
    expect(partial.entries).toEqual([]);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
