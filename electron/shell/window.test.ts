import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ELECTRON_CSP } from './csp';
import { denyAllPermissions, lockDownContents, mainWindowOptions } from './window';

describe('the main window', () => {
  it('runs the renderer isolated and sandboxed, without Node', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('sends a strict CSP: only its own scripts, no eval or inline script, no network', () => {
    const directives = Object.fromEntries(ELECTRON_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'connect-src': "'none'",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(ELECTRON_CSP).not.toContain('unsafe-eval');
    expect(directives['script-src']).not.toContain('unsafe-inline');
    expect(directives['style-src']).toBe("'self' 'unsafe-inline'");
  });

  it('denies new windows (opening web links outside), navigation away and webviews', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    const openExternal = vi.fn();
    lockDownContents(contents as never, openExternal);

    const openHandler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as (d: { url: string }) => unknown;
    expect(openHandler({ url: 'https://mesos.apache.org/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://mesos.apache.org/');
    expect(openHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);

    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('app://mesoscope/index.html')).toBe(false);

    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('grants no permission request', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    denyAllPermissions(session as never);
    const callback = vi.fn();
    session.setPermissionRequestHandler.mock.calls[0]?.[0]({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(session.setPermissionCheckHandler.mock.calls[0]?.[0]()).toBe(false);
  });
});
