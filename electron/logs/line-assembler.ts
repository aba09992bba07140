/**
 * Turns a byte stream read in arbitrary chunks (64 KiB /files reads, Docker frames) into whole lines
 * of text. Lines are cut at `\n` bytes, which never occur inside a multi-byte UTF-8 sequence, so a
 * character split between two reads is decoded only once both halves are here. A line longer than
 * `maxLineBytes` is cut (at a character boundary) so that one endless line cannot hold everything up.
 */
export interface Assembled {
  /** Whole lines, each ending in `\n` (empty when none completed). */
  text: string;
  /** Source bytes `text` stands for. */
  bytes: number;
  /** Number of lines in `text`. */
  lines: number;
}

const NL = 0x0a;
const EMPTY: Assembled = { text: '', bytes: 0, lines: 0 };

export class LineAssembler {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes = 64 * 1024) {}

  /** Bytes held back: the start of a line not yet ended. */
  get held(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): Assembled {
    if (chunk.length === 0) return EMPTY;
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl < 0) {
      this.hold(chunk);
      return this.pendingBytes > this.maxLineBytes ? this.cut() : EMPTY;
    }
    const head = this.pendingBytes ? Buffer.concat([...this.pending, chunk.subarray(0, lastNl + 1)]) : chunk.subarray(0, lastNl + 1);
    this.pending = [];
    this.pendingBytes = 0;
    if (lastNl + 1 < chunk.length) this.hold(chunk.subarray(lastNl + 1));
    return { text: head.toString('utf8'), bytes: head.length, lines: countNewlines(head) };
  }

  /** The rest, as a last line (with a `\n` added): the source ended. */
  flush(): Assembled {
    if (this.pendingBytes === 0) return EMPTY;
    const rest = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return { text: `${rest.toString('utf8')}\n`, bytes: rest.length, lines: 1 };
  }

  private hold(bytes: Buffer): void {
    // Copied: the caller's buffer may be reused, and a small slice must not pin a large read.
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
  }

  /** An over-long line: emit what is held up to the last whole character, as a line of its own. */
  private cut(): Assembled {
    const all = Buffer.concat(this.pending);
    const end = utf8Boundary(all, all.length);
    this.pending = end < all.length ? [all.subarray(end)] : [];
    this.pendingBytes = all.length - end;
    return { text: `${all.subarray(0, end).toString('utf8')}\n`, bytes: end, lines: 1 };
  }
}

export function countNewlines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(NL); i >= 0; i = bytes.indexOf(NL, i + 1)) n += 1;
  return n;
}

/**
 * The largest offset ≤ `end` that does not split a UTF-8 character: steps back over continuation
 * bytes (10xxxxxx) to the lead byte, and keeps the character only if all its bytes are before `end`.
 */
export function utf8Boundary(bytes: Buffer, end: number): number {
  let i = end;
  let back = 0;
  while (i > 0 && back < 4 && ((bytes[i - 1] ?? 0) & 0xc0) === 0x80) {
    i -= 1;
    back += 1;
  }
  if (i === 0) return end;
  const lead = bytes[i - 1] ?? 0;
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (size === 1) return end;
  return back + 1 >= size ? end : i - 1;
}

/** The smallest offset ≥ `start` that is not inside a UTF-8 character (skips continuation bytes). */
export function utf8Start(bytes: Buffer, start: number): number {
  let i = start;
  while (i < bytes.length && i - start < 3 && ((bytes[i] ?? 0) & 0xc0) === 0x80) i += 1;
  return i;
}
