import type { MesoscopeClient } from '@shared/api/client';
import type { LogEvent, LogSource } from '@shared/logs/schema';
import { LineBuffer } from './line-buffer';

type DataEvent = Extract<LogEvent, { kind: 'data' }>;

/**
 * One open log in the viewer: the `logs.follow` subscription feeding a bounded LineBuffer, the
 * acknowledgements that let the host read on, pause (incoming batches are held, unacknowledged, so
 * the host stops reading once its window is full), and paging through a file by byte ranges when the
 * viewer scrolls past what the buffer holds. Plain TypeScript; React reads it through `subscribe` and
 * `snapshot`, at most once per animation frame.
 */

export interface LogDocumentState {
  title: string;
  /** live: subscribed; window: paging through a file, not subscribed; ended: the source ended. */
  mode: 'opening' | 'live' | 'window' | 'ended' | 'error';
  /** New lines scroll into view; false while paused (they wait, not shown). */
  following: boolean;
  /** Lines held back while paused. */
  waitingLines: number;
  endReason?: string;
  error?: string;
  /** A passing problem the host reported (it keeps trying). */
  problem?: string;
  timestamps: boolean;
  /** File sources: what is read, for download and paging. */
  file?: { agentId?: string; node?: string; path: string };
  /** The file's size as last known. */
  size?: number;
  loading: boolean;
  /** Searching the file beyond what is held: how far it got (bytes), or undefined. */
  searching?: { scanned: number };
}

export interface LogStats {
  bytes: number;
  lines: number;
  batches: number;
  /** performance.now() of the first and the last batch taken. */
  firstAt: number;
  lastAt: number;
}

declare global {
  interface Window {
    /** Read by the benchmark and the e2e tests: what reached the viewer's buffer. */
    __mesoscopeLogStats?: LogStats;
  }
}

/** Lines the buffer keeps: 200 000 (about 20 MB of typical log lines). */
export const CAPACITY = 200_000;
/** How much a page back or forward through a file reads. */
const PAGE_BYTES = 512 * 1024;
/**
 * Acknowledgements go at most this often: each is a message on the socket, about half a millisecond of
 * the page's main thread to send (bench:logs), and a fast log brings a batch every few milliseconds.
 * The host's window (8 MB) is far more than arrives meanwhile.
 */
const ACK_EVERY_MS = 50;
/** More new lines than this between two showings is a log going by faster than it can be read. */
const RUSH_LINES = 200;

export class LogDocument {
  readonly buffer: LineBuffer;
  state: LogDocumentState;
  private snapshotValue: { version: number; state: LogDocumentState };
  private stopFollow: (() => void) | undefined;
  private streamId = '';
  private taken = 0;
  private held: DataEvent[] = [];
  private readonly listeners = new Set<() => void>();
  private frame = 0;
  private notifiedAt = 0;
  /** Lines taken since React was last told. */
  private linesUnshown = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private searchToken = 0;
  private disposed = false;
  /** Lines put before the first one by the last page back: the view moves down by as many. */
  prependedLines = 0;
  /** The buffer now starts at the start of the file: the view goes to its top. */
  scrollToTop = false;
  /** Opened at a byte offset: the global index (LineBuffer.base-relative) of the line that starts there. */
  private targetGlobal: number | undefined;
  /** The target line was just loaded: the view brings it into view once. */
  scrollToTarget = false;
  /** Paused by the Pause button with lines taken but not yet shown: the view goes to its end once. */
  scrollToEnd = false;

  constructor(
    private readonly client: MesoscopeClient,
    readonly source: LogSource,
    /** `openAt`: files, the byte offset of a line to open at (a search match) instead of the end. */
    private readonly options: { tailLines?: number; capacity?: number; openAt?: number } = {},
  ) {
    this.buffer = new LineBuffer(options.capacity ?? CAPACITY);
    this.state = { title: '', mode: 'opening', following: true, waitingLines: 0, timestamps: false, loading: false };
    this.snapshotValue = { version: 0, state: this.state };
  }

  get isFile(): boolean {
    return this.source.kind !== 'node';
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = () => this.snapshotValue;

  /** Open where asked: at the line of `openAt`, or at the end of the source, following it. */
  open(): void {
    if (this.options.openAt !== undefined && this.isFile) void this.openAt(this.options.openAt);
    else this.start();
  }

  /** The line the document was opened at, as an index into the buffer now (undefined: none, or no longer held). */
  get targetIndex(): number | undefined {
    if (this.targetGlobal === undefined) return undefined;
    const index = this.targetGlobal - this.buffer.base;
    return index >= 0 && index < this.buffer.count ? index : undefined;
  }

  /**
   * Files: hold a window around the line starting at byte `offset` (half a page before, half after),
   * not following; older and newer lines are paged in as the view moves, as after a jump to the start.
   */
  async openAt(offset: number): Promise<void> {
    this.disposed = false;
    this.stopFollow?.();
    this.stopFollow = undefined;
    this.held = [];
    this.buffer.clear();
    this.targetGlobal = undefined;
    this.set({ mode: 'opening', following: false, waitingLines: 0, endReason: undefined, error: undefined, problem: undefined, loading: true });
    try {
      const half = PAGE_BYTES / 2;
      const [before, after] = await Promise.all([
        offset > 0 ? this.client.call('logs.read', { source: this.source, before: offset, maxBytes: half }) : undefined,
        this.client.call('logs.read', { source: this.source, from: offset, maxBytes: half }),
      ]);
      if (this.disposed) return;
      this.buffer.clear();
      if (before?.text) this.buffer.append(before.text, { offset: before.start, bytes: before.end - before.start });
      // The file may have shrunk (a new sandbox of the same task): then there is no line to mark.
      const target = after.start === offset && after.text ? this.buffer.base + this.buffer.count : undefined;
      if (after.text) this.buffer.append(after.text, { offset: after.start, bytes: after.end - after.start });
      this.targetGlobal = target;
      this.scrollToTarget = target !== undefined;
      this.set({
        mode: 'window',
        title: after.title ?? '',
        ...(after.file ? { file: after.file } : {}),
        size: after.size,
        loading: false,
        ...(target === undefined ? { problem: `The file no longer has a line at byte ${offset} (it is ${after.size} bytes now).` } : {}),
      });
    } catch (err) {
      if (!this.disposed) this.set({ mode: 'error', loading: false, error: (err as Error).message });
    }
  }

  /** Open at the end of the source, and follow it. */
  start(): void {
    // StrictMode mounts, unmounts and mounts again: a disposed document may be started anew.
    this.disposed = false;
    this.stopFollow?.();
    this.buffer.clear();
    this.targetGlobal = undefined;
    this.held = [];
    this.taken = 0;
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.set({ mode: 'opening', following: true, waitingLines: 0, endReason: undefined, error: undefined, problem: undefined });
    window.__mesoscopeLogStats = { bytes: 0, lines: 0, batches: 0, firstAt: 0, lastAt: 0 };
    const params = { source: this.source, follow: true, ...(this.isFile ? {} : { tailLines: this.options.tailLines ?? 5000 }) };
    this.stopFollow = this.client.subscribe('logs.follow', params, (event) => this.onEvent(event), (error) => this.set({ mode: 'error', error: error.message }));
  }

  pause(): void {
    if (this.state.following) this.set({ following: false });
  }

  /**
   * The Pause button: the view stops at the newest line held. Lines taken since React was last told
   * (up to 100 ms of them, see `changed`) arrived before the click, so they are shown, not left below.
   */
  pauseAtEnd(): void {
    if (!this.state.following) return;
    this.scrollToEnd = this.linesUnshown > 0;
    this.pause();
  }

  resume(): void {
    const held = this.held;
    this.held = [];
    for (const event of held) this.take(event);
    this.set({ following: true, waitingLines: 0 });
  }

  /** The newest lines: re-open at the end when the buffer was paging through the file. */
  jumpToEnd(): void {
    if (this.state.mode === 'window') this.start();
    else this.resume();
  }

  /** Files: the start of the file (the follow stops; jump to the end to follow again). */
  async jumpToStart(): Promise<void> {
    if (!this.isFile) return;
    this.stopFollow?.();
    this.stopFollow = undefined;
    this.held = [];
    this.set({ mode: 'window', following: false, waitingLines: 0, loading: true });
    try {
      const range = await this.client.call('logs.read', { source: this.source, from: 0, maxBytes: PAGE_BYTES });
      this.buffer.clear();
      this.buffer.append(range.text, { offset: range.start, bytes: range.end - range.start });
      this.scrollToTop = true;
      this.set({ size: range.size, loading: false });
    } catch (err) {
      this.set({ loading: false, problem: (err as Error).message });
    }
  }

  /** Files: the file goes on before / after what is held. */
  get moreBefore(): boolean {
    return this.isFile && (this.buffer.startOffset ?? 0) > 0;
  }

  get moreAfter(): boolean {
    return this.isFile && this.buffer.endOffset !== undefined && this.state.size !== undefined && this.buffer.endOffset < this.state.size;
  }

  /**
   * Files: the next line containing `query` after what is held (forward) or the previous one before it
   * (backward), searched by the host in ranges; the view then holds the lines from (or up to) that line.
   * False when the file has no such line. A newer search, or a new start, cancels an older one.
   */
  async searchBeyond(query: string, direction: 'forward' | 'backward'): Promise<boolean> {
    const token = ++this.searchToken;
    let from = direction === 'forward' ? (this.buffer.endOffset ?? 0) : (this.buffer.startOffset ?? 0);
    const origin = from;
    this.set({ searching: { scanned: 0 } });
    try {
      for (;;) {
        const r = await this.client.call('logs.search', { source: this.source, query, from, direction });
        if (token !== this.searchToken) return false;
        if (r.found) {
          await this.showRange(direction === 'forward' ? { from: r.found.start } : { before: r.found.end });
          return true;
        }
        if (r.done) return false;
        from = r.scannedTo;
        this.set({ searching: { scanned: Math.abs(from - origin) } });
      }
    } catch (err) {
      this.set({ problem: (err as Error).message });
      return false;
    } finally {
      if (token === this.searchToken) this.set({ searching: undefined });
    }
  }

  cancelSearch(): void {
    this.searchToken += 1;
    if (this.state.searching) this.set({ searching: undefined });
  }

  /** Files: hold the lines from (or up to) a byte offset, paging from there (the follow stops). */
  private async showRange(where: { from: number } | { before: number }): Promise<void> {
    this.stopFollow?.();
    this.stopFollow = undefined;
    this.held = [];
    const range = await this.client.call('logs.read', { source: this.source, ...where, maxBytes: PAGE_BYTES });
    this.buffer.clear();
    this.buffer.append(range.text, { offset: range.start, bytes: range.end - range.start });
    this.set({ mode: 'window', following: false, waitingLines: 0, size: range.size });
  }

  get canLoadEarlier(): boolean {
    return this.isFile && !this.state.loading && (this.buffer.startOffset ?? 0) > 0;
  }

  get canLoadLater(): boolean {
    return this.isFile && this.state.mode === 'window' && !this.state.loading && (this.buffer.endOffset ?? 0) < (this.state.size ?? 0);
  }

  /** The lines before the first one held (the file is never loaded whole). */
  async loadEarlier(): Promise<void> {
    if (!this.canLoadEarlier) return;
    this.set({ loading: true });
    try {
      const range = await this.client.call('logs.read', { source: this.source, before: this.buffer.startOffset ?? 0, maxBytes: PAGE_BYTES });
      const before = this.buffer.count;
      const dropsNewest = before + countLines(range.text) > this.buffer.capacity;
      if (dropsNewest && this.state.mode === 'live') {
        // The newest lines are about to go for older ones: stop following, page from here on.
        this.stopFollow?.();
        this.stopFollow = undefined;
        this.held = [];
        this.set({ mode: 'window', following: false, waitingLines: 0 });
      }
      this.buffer.prepend(range.text, range.start);
      this.prependedLines = Math.min(countLines(range.text), this.buffer.count);
      this.set({ loading: false, size: range.size });
    } catch (err) {
      this.set({ loading: false, problem: (err as Error).message });
    }
  }

  /** Paging forward through a file (after jumping to its start). */
  async loadLater(): Promise<void> {
    if (!this.canLoadLater) return;
    this.set({ loading: true });
    try {
      const range = await this.client.call('logs.read', { source: this.source, from: this.buffer.endOffset ?? 0, maxBytes: PAGE_BYTES });
      this.buffer.append(range.text, { offset: range.start, bytes: range.end - range.start });
      this.set({ loading: false, size: range.size });
    } catch (err) {
      this.set({ loading: false, problem: (err as Error).message });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.searchToken += 1;
    this.stopFollow?.();
    this.stopFollow = undefined;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  private onEvent(event: LogEvent): void {
    if (this.disposed) return;
    switch (event.kind) {
      case 'open':
        this.streamId = event.streamId;
        this.set({ title: event.title, mode: 'live', timestamps: event.timestamps, file: event.file, size: event.size });
        break;
      case 'data':
        if (this.state.following) this.take(event);
        else {
          this.held.push(event);
          this.set({ waitingLines: this.state.waitingLines + countLines(event.text) });
        }
        break;
      case 'problem':
        this.set({ problem: event.message });
        break;
      case 'end':
        this.stopFollow?.();
        this.stopFollow = undefined;
        // Held lines stay held until resumed; the end is shown at once.
        this.set({ mode: 'ended', endReason: event.reason });
        break;
    }
  }

  private take(event: DataEvent): void {
    const before = this.buffer.count + this.buffer.droppedOldest;
    this.buffer.append(event.text, { offset: event.offset, bytes: event.bytes, stderr: event.stderr });
    const added = this.buffer.count + this.buffer.droppedOldest - before;
    this.linesUnshown += added;
    this.taken += event.bytes;
    this.ackSoon();
    const stats = window.__mesoscopeLogStats;
    if (stats) {
      const now = performance.now();
      if (stats.batches === 0) stats.firstAt = now;
      stats.lastAt = now;
      stats.batches += 1;
      stats.bytes += event.bytes;
      stats.lines += added;
    }
    if (event.offset !== undefined && this.state.size !== undefined && (this.buffer.endOffset ?? 0) > this.state.size) {
      this.state = { ...this.state, size: this.buffer.endOffset };
    }
    this.changed();
    if (this.state.problem) this.set({ problem: undefined });
  }

  private ackSoon(): void {
    if (this.ackTimer !== undefined || !this.streamId) return;
    const streamId = this.streamId;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      if (this.streamId === streamId && !this.disposed) void this.client.call('logs.ack', { streamId, bytes: this.taken }).catch(() => undefined);
    }, ACK_EVERY_MS);
  }

  private set(patch: Partial<LogDocumentState>): void {
    this.state = { ...this.state, ...patch };
    this.changed();
  }

  /**
   * Tell React at most once per frame, however many batches arrived, and at most every 30 ms: a log
   * scrolling by faster than that looks the same, and the rows are redrawn half as often. A log going
   * by faster than anyone reads (more than RUSH_LINES since the last time) is shown every 100 ms: each
   * showing is a render, a layout and a paint (bench:logs: at 30 ms, 33 a second, two thirds of the
   * page's work while following a 5 MB/s stream), and what scrolls by looks the same.
   */
  private changed(): void {
    if (this.frame || this.disposed) return;
    const tick = (now: number) => {
      if (now - this.notifiedAt < (this.linesUnshown > RUSH_LINES ? 100 : 30)) {
        this.frame = requestAnimationFrame(tick);
        return;
      }
      this.frame = 0;
      this.notifiedAt = now;
      this.linesUnshown = 0;
      this.snapshotValue = { version: this.snapshotValue.version + 1, state: this.state };
      for (const listener of this.listeners) listener();
    };
    this.frame = requestAnimationFrame(tick);
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}
