import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeUrlFile } from './url-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dr-url-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--print-url-to FILE (issue 15 #6)', () => {
  it('writes the link readable by its owner only (0600), replacing a wider file and never writing through a link', async () => {
    const url = 'http://127.0.0.1:1234/?token=secret';
    const fresh = join(dir, 'url');
    await writeUrlFile(fresh, url);
    expect((await stat(fresh)).mode & 0o777).toBe(0o600);
    expect(await readFile(fresh, 'utf8')).toBe(`${url}\n`);

    const wide = join(dir, 'wide');
    await writeFile(wide, 'old', { mode: 0o644 });
    await writeUrlFile(wide, url);
    expect((await stat(wide)).mode & 0o777).toBe(0o600);

    const target = join(dir, 'target');
    await writeFile(target, 'keep', { mode: 0o644 });
    const link = join(dir, 'link');
    await symlink(target, link);
    await writeUrlFile(link, url);
    expect(await readFile(target, 'utf8')).toBe('keep');
    expect((await stat(link)).mode & 0o777).toBe(0o600);

    await expect(writeUrlFile(join(dir, 'no-such-dir', 'url'), url)).rejects.toThrow(/^--print-url-to .*no-such-dir\/url: cannot create it/);
  });
});
