import { createWriteStream, type WriteStream } from 'node:fs';
import { constants, createGzip, type Gzip } from 'node:zlib';
import type { RecordingEntry, RecordingHeader } from '@shared/recording/schema';

/**
 * Writes a recording as it happens: one JSON line per entry through gzip into the file. Every
 * `syncMs` the gzip stream is flushed with Z_SYNC_FLUSH, so what is on disk always decompresses up to
 * that moment: a crash or a power cut leaves a file whose prefix the reader can still open
 * (`partial: true`). close() writes the `end` line and finishes the gzip member.
 */

export interface WriterOptions {
  /** How often what was written is made readable on disk (default 1000 ms). */
  syncMs?: number;
}

export interface WriterResult {
  path: string;
  entries: number;
  /** Compressed bytes on disk. */
  bytes: number;
}

export class RecordingWriter {
  private entries = 0;
  private lastT = 0;
  private closed: Promise<WriterResult> | null = null;
  private failure: Error | null = null;
  private readonly timer: ReturnType<typeof setInterval>;

  private constructor(
    readonly path: string,
    private readonly gzip: Gzip,
    private readonly file: WriteStream,
    options: WriterOptions,
  ) {
    const fail = (err: Error) => (this.failure ??= err);
    gzip.on('error', fail);
    file.on('error', fail);
    this.timer = setInterval(() => this.sync(), options.syncMs ?? 1000);
    this.timer.unref();
  }

  /** Creates the file (an existing one is replaced) and writes the header. */
  static async create(path: string, header: RecordingHeader, options: WriterOptions = {}): Promise<RecordingWriter> {
    const file = createWriteStream(path);
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', reject);
    });
    const gzip = createGzip();
    gzip.pipe(file);
    const writer = new RecordingWriter(path, gzip, file, options);
    writer.lastT = header.startedAt;
    writer.line(header);
    writer.sync();
    return writer;
  }

  /** Appends an entry. Times never go backwards in a file: an earlier `t` (a clock step) is raised. */
  write(entry: RecordingEntry): void {
    if (this.closed) throw new Error(`Recording ${this.path} is closed`);
    if (this.failure) throw this.failure;
    const t = Math.max(entry.t, this.lastT);
    this.lastT = t;
    this.line(t === entry.t ? entry : { ...entry, t });
    this.entries += 1;
  }

  get count(): number {
    return this.entries;
  }

  /** Writes the `end` line and closes the file; resolves once it is all on disk. */
  close(reason: string, t: number): Promise<WriterResult> {
    if (this.closed) return this.closed;
    clearInterval(this.timer);
    if (!this.failure) this.line({ kind: 'end', t: Math.max(t, this.lastT), reason, entries: this.entries });
    this.closed = new Promise<WriterResult>((resolve, reject) => {
      this.file.once('close', () => (this.failure ? reject(this.failure) : resolve({ path: this.path, entries: this.entries, bytes: this.file.bytesWritten })));
      this.gzip.end();
    });
    return this.closed;
  }

  private line(value: unknown): void {
    this.gzip.write(`${JSON.stringify(value)}\n`);
  }

  private sync(): void {
    if (!this.closed && !this.failure) this.gzip.flush(constants.Z_SYNC_FLUSH);
  }
}
