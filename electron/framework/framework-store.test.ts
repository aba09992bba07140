import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameworkStore } from './framework-store';

const fresh = async () => join(await mkdtemp(join(tmpdir(), 'mesoscope-fwstore-')), 'frameworks.json');

describe('the framework id store', () => {
  it('keeps ids per cluster and variant across instances, and forgets them', async () => {
    const file = await fresh();
    const a = new FrameworkStore(file);
    await Promise.all([a.save('demo', 'ckpt', 'M-0000'), a.save('demo', 'nockpt+pa', 'M-0001'), a.save('other', 'ckpt', 'N-0000')]);
    expect(await new FrameworkStore(file).ids('demo')).toEqual({ ckpt: 'M-0000', 'nockpt+pa': 'M-0001' });
    await a.forgetId('demo', 'ckpt');
    await a.forgetCluster('other');
    const b = new FrameworkStore(file);
    expect([await b.ids('demo'), await b.ids('other')]).toEqual([{ 'nockpt+pa': 'M-0001' }, {}]);
  });

  it('sets an unreadable file aside and starts empty', async () => {
    const file = await fresh();
    await writeFile(file, '{"version": 1, "clusters": {"x": {"ckpt": {"id": 3}}}}');
    expect(await new FrameworkStore(file).ids('x')).toEqual({});
    expect((await readdir(join(file, '..'))).some((f) => f.startsWith('frameworks.json.unreadable-'))).toBe(true);
  });
});
