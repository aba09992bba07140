import { randomUUID } from 'node:crypto';

/**
 * Flow control for followed logs. The transports push and never push back, so the viewer says what it
 * has taken (`logs.ack`, cumulative bytes) and a stream reads on only while less than `window` bytes
 * are unacknowledged. A slow or paused viewer therefore stops the reading of the file (or pauses the
 * Docker stream) instead of piling megabytes into a socket buffer.
 */
export class Credit {
  private sent = 0;
  private acked = 0;
  private waiters = new Set<() => void>();

  constructor(readonly window: number) {}

  get hasRoom(): boolean {
    return this.sent - this.acked < this.window;
  }

  get unacknowledged(): number {
    return this.sent - this.acked;
  }

  spend(bytes: number): void {
    this.sent += bytes;
  }

  /** Cumulative: an older (smaller) acknowledgement arriving late changes nothing. */
  ack(total: number): void {
    if (total <= this.acked) return;
    this.acked = Math.min(total, this.sent);
    if (this.hasRoom) for (const wake of [...this.waiters]) wake();
  }

  /** Resolves when there is room (at once if there is), or when `signal` aborts. */
  ready(signal: AbortSignal): Promise<void> {
    if (this.hasRoom || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}

/** 8 MiB: several batches in flight at 20 MB/s, little held if the viewer stops taking. */
export const DEFAULT_WINDOW = 8 * 1024 * 1024;

export class LogStreams {
  private readonly streams = new Map<string, Credit>();

  open(window = DEFAULT_WINDOW): { id: string; credit: Credit; close: () => void } {
    const id = randomUUID();
    const credit = new Credit(window);
    this.streams.set(id, credit);
    return { id, credit, close: () => this.streams.delete(id) };
  }

  /** An id that is unknown (the stream ended meanwhile) is ignored. */
  ack(id: string, bytes: number): void {
    this.streams.get(id)?.ack(bytes);
  }

  get size(): number {
    return this.streams.size;
  }
}
