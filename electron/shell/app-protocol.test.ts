import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_CSP } from './csp';
import { isAppUrl, serveAppRequest } from './app-protocol';

describe('the app:// protocol', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesoscope-app-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html>');
  await writeFile(join(tmpdir(), 'outside.txt'), 'secret');

  it('serves the renderer with its type and the CSP header', async () => {
    const res = await serveAppRequest(dir, new Request('app://mesoscope/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(ELECTRON_CSP);
    expect(await res.text()).toBe('<!doctype html>');
  });

  it('serves nothing outside the renderer folder, nor for another host', async () => {
    for (const url of ['app://mesoscope/../outside.txt', 'app://mesoscope/%2e%2e/outside.txt', 'app://mesoscope/missing.js', 'app://other/index.html']) {
      expect((await serveAppRequest(dir, new Request(url))).status, url).toBe(404);
    }
  });

  it('recognises only its own origin', () => {
    expect(isAppUrl('app://mesoscope/index.html')).toBe(true);
    expect(isAppUrl('app://mesoscope.evil/index.html')).toBe(false);
    expect(isAppUrl('http://mesoscope/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
