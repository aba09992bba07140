import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from './settings-store';

const freshDir = () => mkdtemp(join(tmpdir(), 'mesoscope-settings-'));

describe('the settings store', () => {
  it('starts from defaults and persists an update across instances', async () => {
    const file = join(await freshDir(), 'nested', 'settings.json');
    expect(await new SettingsStore(file).get()).toEqual({ dockerEndpoint: null, defaultImages: {}, connections: [] });
    await new SettingsStore(file).update({ dockerEndpoint: 'tcp://127.0.0.1:2375' });
    expect(await new SettingsStore(file).get()).toMatchObject({ dockerEndpoint: 'tcp://127.0.0.1:2375' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ dockerEndpoint: 'tcp://127.0.0.1:2375' });
  });

  it('keeps fields an update leaves out', async () => {
    const store = new SettingsStore(join(await freshDir(), 'settings.json'));
    await store.update({ dockerEndpoint: 'unix:///a.sock' });
    expect(await store.update({})).toMatchObject({ dockerEndpoint: 'unix:///a.sock' });
  });

  it('sets an unreadable file aside instead of losing it, and uses defaults', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'settings.json'), '{"dockerEndpoint": 12');
    expect(await new SettingsStore(join(dir, 'settings.json')).get()).toEqual({ dockerEndpoint: null, defaultImages: {}, connections: [] });
    const files = await readdir(dir);
    expect(files.some((f) => f.startsWith('settings.json.unreadable-'))).toBe(true);
  });
});
