import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore, SafeStorageSecretStore, type SafeStorageLike } from './secret-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-secrets-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('FileSecretStore (the web host, the CLI)', () => {
  it('keeps secrets in a file only its owner reads, and forgets them', async () => {
    const store = new FileSecretStore(join(dir, 'secrets.json'));
    await Promise.all([store.set('connection:a', 'pa$$'), store.set('connection:b', 'tok')]);
    expect(await store.get('connection:a')).toBe('pa$$');
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    expect(store.where).toMatch(/mode 0600; not encrypted/);
    await store.delete('connection:a');
    expect(await store.get('connection:a')).toBeUndefined();
    expect(await store.get('connection:b')).toBe('tok');
  });
});

describe('SafeStorageSecretStore (the desktop app)', () => {
  // Electron's safeStorage is not available outside Electron: a reversible cipher of the same shape
  // stands in, to check that only ciphertext reaches the file.
  const cipher: SafeStorageLike = {
    isEncryptionAvailable: () => true,
    encryptString: (plain) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ 0x5a)),
    decryptString: (sealed) => Buffer.from([...sealed].map((b) => b ^ 0x5a)).toString('utf8'),
  };

  it('writes only ciphertext and reads the secret back', async () => {
    const store = new SafeStorageSecretStore(join(dir, 'secrets.safestorage.json'), cipher);
    await store.set('connection:prod', 'hunter2-hunter2');
    expect(await readFile(join(dir, 'secrets.safestorage.json'), 'utf8')).not.toContain('hunter2');
    expect(await store.get('connection:prod')).toBe('hunter2-hunter2');
  });

  it('refuses to store a secret when the keychain is not available', async () => {
    const store = new SafeStorageSecretStore(join(dir, 's.json'), { ...cipher, isEncryptionAvailable: () => false });
    await expect(store.set('connection:x', 'pw')).rejects.toThrow(/system keychain is not available/);
  });
});
