import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { saveDialogDownloads } from './save-download';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const file = (bytes: Buffer) => ({ name: 'stdout', size: bytes.length, open: async () => ({ stream: Readable.from([bytes]), size: bytes.length }) });

describe('downloads in the desktop app', () => {
  it('asks where to save (in the downloads folder, under the file’s name), then writes the bytes there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesoscope-save-'));
    dirs.push(dir);
    const asked: unknown[] = [];
    const host = saveDialogDownloads(
      { showSaveDialog: async (...args: unknown[]) => (asked.push(args.at(-1)), { canceled: false, filePath: join(dir, 'saved') }) } as never,
      { window: () => undefined, downloadsDir: () => '/home/me/Downloads' },
    );
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, ...Buffer.from('é\n')]);
    expect(await host.offer(file(bytes))).toEqual({ kind: 'saved', path: join(dir, 'saved') });
    expect(await readFile(join(dir, 'saved'))).toEqual(bytes);
    expect(asked[0]).toMatchObject({ defaultPath: '/home/me/Downloads/stdout' });
  });

  it('does nothing when the dialog is cancelled', async () => {
    let opened = false;
    const host = saveDialogDownloads({ showSaveDialog: async () => ({ canceled: true, filePath: '' }) } as never, {
      window: () => undefined,
      downloadsDir: () => '/tmp',
    });
    const outcome = await host.offer({ name: 'x', open: async () => ((opened = true), { stream: Readable.from([]) }) });
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(opened).toBe(false);
  });
});
