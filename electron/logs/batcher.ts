import type { LogEvent } from '@shared/logs/schema';
import type { Assembled } from './line-assembler';

type DataEvent = Extract<LogEvent, { kind: 'data' }>;

/**
 * The most text one event carries. Chromium's WebSocket takes a message in on the page's main thread
 * at about 30 MB/s once it passes 128 KB (a 500 KB batch was a 17–25 ms task of native work before
 * any of our script ran, and 50–60 ms on a loaded machine); 64 KB messages are 1–4 ms each and cheaper
 * per byte. Measured in bench:logs' trace (BENCH_TRACE=1).
 */
export const MAX_EVENT_TEXT = 64 * 1024;

/**
 * Gathers lines into one `data` event every `flushMs` (or sooner once `maxBytes` are waiting): one
 * large string per batch keeps a fast log cheap to send and to validate. Lines from stderr are marked
 * by line ranges, not by wrapping each line in an object.
 */
export class Batcher {
  private parts: string[] = [];
  private bytes = 0;
  private textLength = 0;
  private lines = 0;
  private offset: number | undefined;
  private stderr: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor(
    private readonly emit: (event: DataEvent) => void,
    private readonly flushMs = 25,
    private readonly maxBytes = MAX_EVENT_TEXT,
  ) {}

  /** Lines (and the source bytes they stand for); `offset` is the byte offset of their start in a file. */
  add(chunk: Assembled, options: { offset?: number; stderr?: boolean } = {}): void {
    if (chunk.bytes === 0 && chunk.text === '') return;
    if (this.parts.length === 0) this.offset = options.offset;
    if (options.stderr && chunk.lines > 0) {
      const last = this.stderr.length - 1;
      if (last > 0 && this.stderr[last] === this.lines) this.stderr[last] = this.lines + chunk.lines;
      else this.stderr.push(this.lines, this.lines + chunk.lines);
    }
    this.parts.push(chunk.text);
    this.bytes += chunk.bytes;
    this.textLength += chunk.text.length;
    this.lines += chunk.lines;
    if (this.textLength >= this.maxBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.parts.length === 0) return;
    const event: DataEvent = { kind: 'data', seq: this.seq++, text: this.parts.join(''), bytes: this.bytes };
    if (this.offset !== undefined) event.offset = this.offset;
    if (this.stderr.length) event.stderr = this.stderr;
    this.parts = [];
    this.bytes = 0;
    this.textLength = 0;
    this.lines = 0;
    this.offset = undefined;
    this.stderr = [];
    this.emit(event);
  }

  /** Stop the timer without sending (the subscription ended). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
