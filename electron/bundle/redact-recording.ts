import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, createGunzip, createGzip } from 'node:zlib';
import type { Redactor } from './redact';

/**
 * A recording (gzip of NDJSON) with every line redacted, written to `to` and returned. The recording
 * under way may end in the middle of its gzip stream (flushed, not closed): what decompresses is kept.
 */
export async function redactRecording(from: string, to: string, redactor: Redactor): Promise<Buffer> {
  const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
  // pipe() does not pass a read error on: the gunzip stream fails with it, and so does the loop below.
  const source = createReadStream(from).on('error', (err) => gunzip.destroy(err));
  const lines = createInterface({ input: source.pipe(gunzip), crlfDelay: Infinity });
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(to));
  // One line behind: the last one of a recording under way may be cut short, and is then left out.
  let previous: string | undefined;
  for await (const line of lines) {
    if (line === '') continue;
    if (previous !== undefined && !gzip.write(`${redactor.line(previous)}\n`)) await once(gzip, 'drain');
    previous = line;
  }
  if (previous !== undefined && isJson(previous)) gzip.write(`${redactor.line(previous)}\n`);
  gzip.end();
  await written;
  return readFile(to);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

