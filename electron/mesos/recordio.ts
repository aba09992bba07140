/**
 * RecordIO (docs/mesos/api.md §2.4): each record is its length in bytes as ASCII digits, `\n`, then exactly that
 * many bytes. HTTP chunks have no relation to records, so this works on bytes: a record may arrive in
 * many chunks, a chunk may hold many records, and a multi-byte UTF-8 character may straddle two chunks
 * (records are decoded only once complete). Every Mesos stream the app reads goes through it.
 */

export class RecordIOError extends Error {
  override readonly name = 'RecordIOError';
}

/** uint64 has at most 20 digits; a longer "length" is not RecordIO. */
const MAX_LENGTH_DIGITS = 20;

export class RecordIODecoder {
  private digits = '';
  private record: Buffer | null = null;
  private filled = 0;
  private offset = 0;
  private failure: RecordIOError | null = null;

  /** @param maxRecordBytes larger records are refused rather than buffered */
  constructor(private readonly maxRecordBytes = 64 * 1024 * 1024) {}

  /** Feeds bytes; returns the records completed by them, in order. Throws RecordIOError on malformed input, and keeps throwing it. */
  push(chunk: Uint8Array): Buffer[] {
    if (this.failure) throw this.failure;
    const out: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.record) {
        const take = Math.min(chunk.length - i, this.record.length - this.filled);
        this.record.set(chunk.subarray(i, i + take), this.filled);
        this.filled += take;
        this.offset += take;
        i += take;
        if (this.filled === this.record.length) {
          out.push(this.record);
          this.record = null;
        }
        continue;
      }
      const byte = chunk[i]!;
      i += 1;
      this.offset += 1;
      if (byte === 0x0a) {
        this.startRecord();
      } else if (byte >= 0x30 && byte <= 0x39 && this.digits.length < MAX_LENGTH_DIGITS) {
        this.digits += String.fromCharCode(byte);
      } else {
        this.fail(`malformed record length ${JSON.stringify(this.digits + printable(byte))} (expected decimal digits, then a newline)`);
      }
    }
    return out;
  }

  /** Whether the input so far ended exactly at a record boundary. */
  get idle(): boolean {
    return !this.record && this.digits === '' && !this.failure;
  }

  /** The stream ended: throws if it ended inside a record. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.record) this.fail(`stream ended inside a record: ${this.filled} of ${this.record.length} bytes`);
    if (this.digits !== '') this.fail(`stream ended inside a record length ${JSON.stringify(this.digits)}`);
  }

  private startRecord(): void {
    if (this.digits === '') this.fail('malformed record length "" (an empty line)');
    const length = Number(this.digits);
    this.digits = '';
    // "The length is never 0" (docs/recordio.md).
    if (length === 0) this.fail('malformed record length "0" (records are never empty)');
    if (length > this.maxRecordBytes) this.fail(`record of ${length} bytes exceeds the limit of ${this.maxRecordBytes}`);
    this.record = Buffer.allocUnsafe(length);
    this.filled = 0;
  }

  private fail(message: string): never {
    this.failure = new RecordIOError(`RecordIO: ${message} at byte ${this.offset}`);
    throw this.failure;
  }
}

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** Frames one record (for tests and fakes that play a master). */
export function encodeRecord(payload: string | Uint8Array): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  return Buffer.concat([Buffer.from(`${bytes.length}\n`, 'ascii'), bytes]);
}
