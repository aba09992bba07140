import { describe, expect, it } from 'vitest';
import { FilesClient, READ_CHUNK } from '../mesos/agent-client';
import { followFile, PARALLEL, readLines, searchFile } from './file-reader';
import { LineAssembler } from './line-assembler';
import { Credit } from './log-streams';

/** /files/read semantics on a buffer that can grow: at most 64 KiB a read, nothing at or past the end. */
class FakeFiles extends FilesClient {
  content = Buffer.alloc(0);
  reads = 0;
  constructor() {
    super('http://fake');
  }
  override async size(): Promise<number> {
    return this.content.length;
  }
  override async read(_path: string, offset: number, length = READ_CHUNK): Promise<Buffer> {
    this.reads += 1;
    return Buffer.from(this.content.subarray(offset, offset + Math.min(length, READ_CHUNK)));
  }
}

const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `line ${from + i} ünïcödé ✓\n`).join('');

describe('readLines', () => {
  const files = new FakeFiles();
  files.content = Buffer.from(lines(20_000));
  const all = files.content.toString('utf8');

  it('reads whole lines from a byte offset, starting at the next line start', async () => {
    const r = await readLines(files, 'f', { from: 10 }, 200);
    expect(r.text.startsWith('line 1 ')).toBe(true);
    expect(r.text.endsWith('\n')).toBe(true);
    expect(files.content.subarray(r.start, r.end).toString('utf8')).toBe(r.text);
    expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(200);
  });

  it('reads whole lines before an offset, and the tail of the file with -1', async () => {
    const tail = await readLines(files, 'f', { before: -1 }, 300 * 1024);
    expect(tail.end).toBe(files.content.length);
    expect(all.endsWith(tail.text)).toBe(true);
    expect(tail.text.startsWith('line ')).toBe(true);
    const earlier = await readLines(files, 'f', { before: tail.start }, 1000);
    expect(earlier.end).toBe(tail.start);
    expect(files.content.subarray(earlier.start, earlier.end).toString('utf8')).toBe(earlier.text);
    expect(earlier.text.startsWith('line ')).toBe(true);
  });

  it('pages through the whole file with from, losing and repeating nothing', async () => {
    let at = 0;
    let text = '';
    while (at < files.content.length) {
      const r = await readLines(files, 'f', { from: at }, 100 * 1024);
      expect(r.start).toBe(at);
      text += r.text;
      at = r.end;
    }
    expect(text).toBe(all);
  });
});

describe('followFile', () => {
  it('follows a growing file to the end once the writer is done, in order', async () => {
    const files = new FakeFiles();
    let done = false;
    const got = new LineAssembler();
    let text = '';
    const controller = new AbortController();
    const following = followFile({
      files,
      path: 'f',
      start: 0,
      follow: true,
      ended: async () => done,
      credit: new Credit(1 << 30),
      signal: controller.signal,
      pollMs: 5,
      endedCheckMs: 5,
      onBytes: (bytes) => (text += got.push(bytes).text),
      onProblem: () => {},
    });
    for (let i = 0; i < 10; i += 1) {
      files.content = Buffer.concat([files.content, Buffer.from(lines(3000, i * 3000))]);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    done = true;
    expect(await following).toBe('ended');
    expect(text).toBe(lines(30_000));
  });

  it('stops reading while the viewer has not taken what was sent, and goes on when it has', async () => {
    const files = new FakeFiles();
    files.content = Buffer.from(lines(50_000)); // ~1.3 MB
    const credit = new Credit(256 * 1024);
    let received = 0;
    const following = followFile({
      files,
      path: 'f',
      start: 0,
      follow: false,
      ended: async () => true,
      credit,
      signal: new AbortController().signal,
      onBytes: (bytes) => {
        received += bytes.length;
        credit.spend(bytes.length);
      },
      onProblem: () => {},
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // At most the window plus the reads in flight when it filled.
    expect(received).toBeLessThanOrEqual(256 * 1024 + PARALLEL * READ_CHUNK);
    expect(received).toBeGreaterThan(0);
    const before = received;
    credit.ack(received);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toBeGreaterThan(before);
    for (let i = 0; i < 100 && received < files.content.length; i += 1) {
      credit.ack(received);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await following).toBe('eof');
    expect(received).toBe(files.content.length);
  });
});

describe('searchFile', () => {
  const files = new FakeFiles();
  // ~4 MB: the needle on three lines, far apart.
  const text = lines(150_000).replace('line 5 ', 'line 5 NEEDLE ').replace('line 20000 ', 'line 20000 needle ').replace('line 39999 ', 'line 39999 Needle ');
  files.content = Buffer.from(text);
  const offsetOf = (line: string) => Buffer.byteLength(text.slice(0, text.indexOf(line)));

  it('finds the next line with the text after an offset, with its byte range', async () => {
    const r = await searchFile(files, 'f', { query: 'needle', caseSensitive: false, from: 0, direction: 'forward', maxBytes: 64 << 20 });
    expect(r.found?.line).toBe('line 5 NEEDLE ünïcödé ✓');
    expect(r.found?.start).toBe(offsetOf('line 5 NEEDLE'));
    expect(files.content.subarray(r.found?.start, r.found?.end).toString()).toBe('line 5 NEEDLE ünïcödé ✓\n');
    const next = await searchFile(files, 'f', { query: 'needle', caseSensitive: false, from: r.found?.end ?? 0, direction: 'forward', maxBytes: 64 << 20 });
    expect(next.found?.start).toBe(offsetOf('line 20000 needle'));
  });

  it('finds the previous one before an offset, and says when the file has no more', async () => {
    const r = await searchFile(files, 'f', { query: 'NEEDLE', caseSensitive: false, from: offsetOf('line 39999 '), direction: 'backward', maxBytes: 64 << 20 });
    expect(r.found?.line).toBe('line 20000 needle ünïcödé ✓');
    const none = await searchFile(files, 'f', { query: 'needle', caseSensitive: true, from: offsetOf('line 20000 '), direction: 'backward', maxBytes: 64 << 20 });
    expect(none).toMatchObject({ found: null, done: true, scannedTo: 0 });
  });

  it('stops after its budget and says where to go on from', async () => {
    const r = await searchFile(files, 'f', { query: 'needle', caseSensitive: true, from: offsetOf('line 21000 '), direction: 'forward', maxBytes: 1 << 20 });
    expect(r.found).toBeNull();
    expect(r.done).toBe(false);
    expect(r.scannedTo).toBeGreaterThan(offsetOf('line 21000 ') + (1 << 20) - 100);
    const end = await searchFile(files, 'f', { query: 'needle', caseSensitive: true, from: r.scannedTo, direction: 'forward', maxBytes: 64 << 20 });
    expect(end).toMatchObject({ found: null, done: true, scannedTo: files.content.length });
  });
});
