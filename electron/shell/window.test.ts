import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ELECTRON_CSP } from './csp';
import { denyAllPermissions, lockDownContents, mainWindowOptions } from './window';

/**
 * The Electron API as main.ts uses it, recording what the shell does with it: the window it really opens
 * (its options as passed to BrowserWindow), the handlers it installs on every web contents and on the
 * session. No Electron binary is needed, and the objects asserted on are the ones main.ts built.
 */
const shell = vi.hoisted(() => {
  // (hoisted above the imports: a minimal emitter of its own)
  class EventEmitter {
    private readonly handlers = new Map<string, Array<(...args: unknown[]) => void>>();
    on(name: string, handler: (...args: unknown[]) => void) {
      this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
      return this;
    }
    once(name: string, handler: (...args: unknown[]) => void) {
      return this.on(name, handler);
    }
    emit(name: string, ...args: unknown[]) {
      for (const handler of this.handlers.get(name) ?? []) handler(...args);
      return (this.handlers.get(name)?.length ?? 0) > 0;
    }
  }
  const windows: Array<{ options: Record<string, unknown>; loaded: string[] }> = [];
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => `/tmp/mesoscope-window-test/${name}`,
    quit: () => undefined,
  });
  class BrowserWindow extends EventEmitter {
    static getAllWindows = () => [];
    static getFocusedWindow = () => null;
    readonly loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      super();
      windows.push({ options, loaded: this.loaded });
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    show() {}
  }
  const permissions: { request?: (c: unknown, p: string, cb: (ok: boolean) => void) => void; check?: () => boolean } = {};
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (h: typeof permissions.request) => (permissions.request = h),
      setPermissionCheckHandler: (h: typeof permissions.check) => (permissions.check = h),
    },
  };
  const opened: string[] = [];
  return {
    app,
    windows,
    permissions,
    opened,
    electron: {
      app,
      BrowserWindow,
      session,
      shell: { openExternal: (url: string) => opened.push(url) },
      dialog: { showErrorBox: () => undefined },
      ipcMain: { handle: () => undefined, on: () => undefined, removeHandler: () => undefined },
      protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    },
  };
});
vi.mock('electron', () => ({ ...shell.electron, default: shell.electron }));
vi.mock('../core', () => ({ createCore: async () => ({ dispatcher: {}, dispose: () => undefined }) }));
vi.mock('./ipc-binding', () => ({ bindIpc: () => () => undefined }));

describe('the main window main.ts opens', () => {
  it('runs the renderer isolated and sandboxed, without Node, with only the preload bridge; loads the app', async () => {
    await import('../main');
    await vi.waitFor(() => expect(shell.windows).toHaveLength(1));
    const { options, loaded } = shell.windows[0]!;
    const prefs = options.webPreferences as Record<string, unknown>;
    expect(prefs.preload).toMatch(/preload\.cjs$/);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).not.toBe(false);
    expect(prefs.allowRunningInsecureContent).not.toBe(true);
    expect(prefs.webviewTag).not.toBe(true);
    expect(loaded).toEqual(['app://mesoscope/index.html']);
    // The same options the shell's helper gives, so the tests below speak of the window the user gets.
    expect(options).toEqual(mainWindowOptions(prefs.preload as string));
  });

  it('locks down every web contents it creates: no navigation away, no new window, no webview', async () => {
    await import('../main');
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    shell.app.emit('web-contents-created', {}, contents);
    const navigate = new (class {
      prevented = false;
      preventDefault() {
        this.prevented = true;
      }
    })();
    contents.emit('will-navigate', navigate, 'https://evil.example/');
    expect(navigate.prevented).toBe(true);
    const openHandler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as (d: { url: string }) => unknown;
    expect(openHandler({ url: 'https://mesos.apache.org/' })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://mesos.apache.org/']);
  });

  it('grants no permission request on the session it uses', async () => {
    await import('../main');
    await vi.waitFor(() => expect(shell.permissions.request).toBeTypeOf('function'));
    const callback = vi.fn();
    shell.permissions.request!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(shell.permissions.check!()).toBe(false);
  });
});

describe('the shell helpers', () => {
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
