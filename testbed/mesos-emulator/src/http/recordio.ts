// RecordIO framing (docs/mesos/api.md §2.4): "<byte length>\n<bytes>".
import { toJson, type JsonValue } from '../common/json';

export function recordioFrame(value: JsonValue): Buffer {
  const payload = Buffer.from(toJson(value), 'utf8');
  return Buffer.concat([Buffer.from(`${payload.length}\n`, 'ascii'), payload]);
}

/** Incremental decoder working on bytes, for tests and clients. */
export class RecordIODecoder {
  private buf = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) break;
      const len = Number(this.buf.subarray(0, nl).toString('ascii'));
      if (!Number.isInteger(len) || len <= 0) throw new Error(`bad RecordIO length '${this.buf.subarray(0, nl).toString('ascii')}'`);
      if (this.buf.length < nl + 1 + len) break;
      out.push(this.buf.subarray(nl + 1, nl + 1 + len));
      this.buf = this.buf.subarray(nl + 1 + len);
    }
    return out;
  }
}
