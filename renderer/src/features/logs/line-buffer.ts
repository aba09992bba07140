/**
 * The viewer's lines: a bounded buffer of whole lines kept as a few large strings with line-start
 * indexes (a 200 MB stream is millions of lines; millions of small strings would not do). Appending
 * past the capacity drops the oldest lines, never the newest; prepending (paging back through a file)
 * drops from the other end. For files it keeps the byte offsets of what it holds, so the viewer can
 * ask for the range before or after.
 */

interface Chunk {
  text: string;
  /** Start of each line in `text`; every line ends in `\n`. */
  starts: Uint32Array;
  /** Global index of its first line (lines are numbered from the first one ever added). */
  first: number;
  /** Lines dropped from its start / its end. */
  skip: number;
  drop: number;
  /** Files: the byte offset of its first line, and whether its text is ASCII (a byte per character). */
  byteStart?: number;
  ascii: boolean;
}

/** A chunk this small takes the next lines into itself, so a slow stream does not make a chunk per line. */
const MERGE_BELOW = 256 * 1024;

export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2; // a surrogate pair: 4 bytes for 2 code units
      i += 1;
    } else n += 2;
  }
  return n;
}

function lineStarts(text: string): Uint32Array {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  const starts = new Uint32Array(n);
  let at = 0;
  for (let k = 0; k < n; k += 1) {
    starts[k] = at;
    at = text.indexOf('\n', at) + 1;
  }
  return starts;
}

export class LineBuffer {
  private chunks: Chunk[] = [];
  private held = 0;
  /** Global index of the next line appended / of the first line held. */
  private nextGlobal = 0;
  /** Pairs [from, to) of global line indexes that came from stderr, ascending. */
  private stderrRanges: number[] = [];
  /** Byte offset in the file where what is held ends. */
  endOffset: number | undefined;
  private startCache: number | undefined;
  /** Lines that went out at the start (older ones dropped for newer). */
  droppedOldest = 0;
  /** Changes with every change, for React. */
  version = 0;

  constructor(readonly capacity = 200_000) {}

  get count(): number {
    return this.held;
  }

  /** Global index of line 0 (stable identity for a line while it stays). */
  get base(): number {
    const c = this.chunks[0];
    return c ? c.first + c.skip : this.nextGlobal;
  }

  /** Byte offset in the file of the first line held (computed when asked, not per eviction). */
  get startOffset(): number | undefined {
    if (this.startCache !== undefined) return this.startCache;
    const c = this.chunks[0];
    if (!c || c.byteStart === undefined) return undefined;
    const head = c.starts[c.skip] ?? 0;
    this.startCache = c.byteStart + (c.ascii ? head : utf8Length(c.text.slice(0, head)));
    return this.startCache;
  }

  clear(): void {
    this.chunks = [];
    this.held = 0;
    this.stderrRanges = [];
    this.startCache = undefined;
    this.endOffset = undefined;
    this.droppedOldest = 0;
    this.version += 1;
  }

  /**
   * Whole lines at the end (a missing final `\n` is added). `offset`: where `text` starts in the file;
   * `bytes`: how many bytes it is there (computed when not given). `stderr`: [from, to) line pairs.
   */
  append(text: string, options: { offset?: number; bytes?: number; stderr?: readonly number[] } = {}): void {
    if (text === '') return;
    const body = text.endsWith('\n') ? text : `${text}\n`;
    const starts = lineStarts(body);
    const first = this.nextGlobal;
    const last = this.chunks.at(-1);
    // The host says how many bytes the text was: as many as characters means one byte each (ASCII),
    // unless a replacement character stands for invalid bytes.
    const ascii = options.bytes === text.length && !text.includes('\uFFFD');
    if (last && last.drop === 0 && last.text.length < MERGE_BELOW && last.first + last.starts.length === first && (last.byteStart === undefined) === (options.offset === undefined)) {
      const merged = new Uint32Array(last.starts.length + starts.length);
      merged.set(last.starts);
      for (let i = 0; i < starts.length; i += 1) merged[last.starts.length + i] = (starts[i] as number) + last.text.length;
      last.text += body;
      last.starts = merged;
      last.ascii &&= ascii;
    } else {
      this.chunks.push({ text: body, starts, first, skip: 0, drop: 0, byteStart: options.offset, ascii });
    }
    if (options.stderr) {
      for (let i = 0; i + 1 < options.stderr.length; i += 2) this.stderrRanges.push(first + (options.stderr[i] as number), first + (options.stderr[i + 1] as number));
    }
    this.nextGlobal += starts.length;
    this.held += starts.length;
    if (options.offset !== undefined) this.endOffset = options.offset + (options.bytes ?? utf8Length(text));
    this.evictOldest();
    this.version += 1;
  }

  /** Whole lines before the first one held (paging back through a file); drops the newest past capacity. */
  prepend(text: string, offset?: number): void {
    if (text === '') return;
    const body = text.endsWith('\n') ? text : `${text}\n`;
    const starts = lineStarts(body);
    const first = this.base - starts.length;
    this.chunks.unshift({ text: body, starts, first, skip: 0, drop: 0, byteStart: offset, ascii: false });
    this.held += starts.length;
    this.startCache = undefined;
    if (offset !== undefined) this.endOffset ??= offset + utf8Length(text);
    this.evictNewest();
    this.version += 1;
  }

  line(index: number): string {
    const found = this.locate(index);
    if (!found) return '';
    const { chunk, at } = found;
    const start = chunk.starts[at] as number;
    const end = at + 1 < chunk.starts.length ? (chunk.starts[at + 1] as number) - 1 : chunk.text.length - 1;
    return chunk.text.slice(start, end);
  }

  isStderr(index: number): boolean {
    const g = this.base + index;
    const r = this.stderrRanges;
    let lo = 0;
    let hi = r.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (g < (r[mid * 2] as number)) hi = mid - 1;
      else if (g >= (r[mid * 2 + 1] as number)) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** The lines from `from` (inclusive) to `to` (exclusive), joined with `\n`. */
  text(from = 0, to = this.held): string {
    const out: string[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.held); i += 1) out.push(this.line(i));
    return out.join('\n');
  }

  /** Indexes of the lines that contain `query` (case-insensitive unless said), at most `limit`. */
  search(query: string, { caseSensitive = false, limit = 100_000 } = {}): number[] {
    if (!query) return [];
    const pattern = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), caseSensitive ? 'g' : 'gi');
    const found: number[] = [];
    const base = this.base;
    for (const chunk of this.chunks) {
      const live = chunk.starts.length - chunk.drop;
      pattern.lastIndex = 0;
      let lastLine = -1;
      for (let m = pattern.exec(chunk.text); m; m = pattern.exec(chunk.text)) {
        const at = upperBound(chunk.starts, m.index) - 1;
        if (at !== lastLine && at >= chunk.skip && at < live) {
          found.push(chunk.first + at - base);
          if (found.length >= limit) return found;
        }
        lastLine = at;
        // Go on from the next line: one hit per line is enough.
        const next = at + 1 < chunk.starts.length ? (chunk.starts[at + 1] as number) : chunk.text.length;
        pattern.lastIndex = Math.max(next, m.index + 1);
      }
    }
    return found;
  }

  private locate(index: number): { chunk: Chunk; at: number } | undefined {
    if (index < 0 || index >= this.held) return undefined;
    const g = this.base + index;
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.chunks[mid] as Chunk).first <= g) lo = mid;
      else hi = mid - 1;
    }
    const chunk = this.chunks[lo] as Chunk;
    return { chunk, at: g - chunk.first };
  }

  private evictOldest(): void {
    let excess = this.held - this.capacity;
    while (excess > 0) {
      const chunk = this.chunks[0] as Chunk;
      const live = chunk.starts.length - chunk.skip - chunk.drop;
      const n = Math.min(excess, live);
      chunk.skip += n;
      this.startCache = undefined;
      this.held -= n;
      this.droppedOldest += n;
      excess -= n;
      if (chunk.skip + chunk.drop >= chunk.starts.length) this.chunks.shift();
    }
    const base = this.base;
    let k = 0;
    while (k + 1 < this.stderrRanges.length && (this.stderrRanges[k + 1] as number) <= base) k += 2;
    if (k > 0) this.stderrRanges.splice(0, k);
  }

  private evictNewest(): void {
    let excess = this.held - this.capacity;
    while (excess > 0) {
      const chunk = this.chunks.at(-1) as Chunk;
      const live = chunk.starts.length - chunk.skip - chunk.drop;
      const n = Math.min(excess, live);
      const endLine = chunk.starts.length - chunk.drop;
      if (this.endOffset !== undefined) {
        const from = chunk.starts[endLine - n] as number;
        const to = endLine < chunk.starts.length ? (chunk.starts[endLine] as number) : chunk.text.length;
        this.endOffset -= chunk.ascii ? to - from : utf8Length(chunk.text.slice(from, to));
      }
      chunk.drop += n;
      this.held -= n;
      excess -= n;
      if (chunk.skip + chunk.drop >= chunk.starts.length) this.chunks.pop();
    }
    const last = this.chunks.at(-1);
    if (last) this.nextGlobal = last.first + last.starts.length - last.drop;
    // Marks of lines dropped here must not land on lines appended later under the same numbers.
    while (this.stderrRanges.length && (this.stderrRanges.at(-2) as number) >= this.nextGlobal) this.stderrRanges.splice(-2, 2);
  }
}

/** First index whose value is greater than `x` (the array is ascending). */
function upperBound(a: Uint32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
