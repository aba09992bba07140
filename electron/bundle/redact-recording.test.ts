import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact';
import { redactRecording } from './redact-recording';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-redact-rec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const secret = 'hunter2-0a1b2c';
const lines = [
  { kind: 'header', format: 'mesoscope-recording' },
  { kind: 'operator', event: { type: 'TASK_ADDED', task: { labels: { labels: [{ key: 'DB_PASSWORD', value: secret }] } } } },
  { kind: 'logs', lines: [{ text: `executor said ${secret}` }] },
].map((l) => JSON.stringify(l));

describe('redactRecording', () => {
  it('redacts every line of a complete recording, by name and by the values learnt, and writes a valid gzip of NDJSON', async () => {
    const from = join(dir, 'a.mesorec');
    await writeFile(from, gzipSync(`${lines.join('\n')}\n`));
    const redactor = new Redactor();
    const out = await redactRecording(from, join(dir, 'a-out.mesorec'), redactor);
    const text = gunzipSync(out).toString();
    expect(text).not.toContain(secret);
    const parsed = text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(parsed).toHaveLength(3);
    expect(JSON.stringify(parsed[1])).toContain(`"value":"${REDACTED}"`);
    // Learnt by name on line 2, so replaced as a value on line 3.
    expect(parsed[2]).toEqual({ kind: 'logs', lines: [{ text: `executor said ${REDACTED}` }] });
    expect(await readFile(join(dir, 'a-out.mesorec'))).toEqual(out);
  });

  it('reads a recording under way (flushed, not closed) and leaves out a last line cut short', async () => {
    const from = join(dir, 'b.mesorec');
    // A gzip stream cut after a sync flush, as the writer leaves it every second, ending in half a line.
    const whole = gzipSync(`${lines.join('\n')}\n{"kind":"lo`, { flush: constants.Z_SYNC_FLUSH });
    await writeFile(from, whole.subarray(0, whole.length - 8));
    const text = gunzipSync(await redactRecording(from, join(dir, 'b-out.mesorec'), new Redactor())).toString();
    expect(text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(['header', 'operator', 'logs']);
  });

  it('fails, naming the file, when there is no recording to read', async () => {
    await expect(redactRecording(join(dir, 'missing.mesorec'), join(dir, 'c-out.mesorec'), new Redactor())).rejects.toThrow(/ENOENT.*missing\.mesorec/);
  });
});
