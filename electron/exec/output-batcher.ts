type StreamName = 'stdout' | 'stderr';

/**
 * Gathers a session's output into one message every `flushMs` (or sooner once `maxBytes` wait), in
 * order: a chunk of the other stream first sends what waits. A keystroke's echo goes out within a few
 * milliseconds; a command that floods the terminal costs one message per batch, not per read.
 */
export class OutputBatcher {
  private parts: Buffer[] = [];
  private bytes = 0;
  private stream: StreamName = 'stdout';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emit: (data: Buffer, stream: StreamName) => void,
    private readonly flushMs = 5,
    private readonly maxBytes = 64 * 1024,
  ) {}

  add(chunk: Buffer, stream: StreamName): void {
    if (chunk.length === 0) return;
    if (stream !== this.stream) this.flush();
    this.stream = stream;
    this.parts.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes >= this.maxBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.parts.length === 0) return;
    const data = Buffer.concat(this.parts);
    this.parts = [];
    this.bytes = 0;
    this.emit(data, this.stream);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.parts = [];
    this.bytes = 0;
  }
}
