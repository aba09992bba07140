import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { SafeStorageSecretStore } from './attach/secret-store';
import { createCore, type Core } from './core';
import { APP_SCHEME, APP_URL, isAppUrl, serveAppRequest } from './shell/app-protocol';
import { bindIpc } from './shell/ipc-binding';
import { openRecordingDialog } from './shell/open-recording';
import { saveDialogDownloads } from './shell/save-download';
import { denyAllPermissions, lockDownContents, mainWindowOptions } from './shell/window';
import { hostApiUrl, publishHostEndpoint } from './web-host/host-endpoint';
import { startWebHost, type WebHost } from './web-host/server';

// The thin Electron shell: a window, the app:// protocol and the IPC binding around the core.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const rendererDir = join(__dirname, '..', 'renderer');
let core: Core | undefined;
/** The API on loopback for the CLI on this machine (host-endpoint.ts), and how to take it down. */
let cliHost: { host: WebHost; unpublish: () => Promise<void> } | undefined;

function openMainWindow(): void {
  const win = new BrowserWindow(mainWindowOptions(join(__dirname, 'preload.cjs')));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => lockDownContents(contents, (url) => void shell.openExternal(url)));

  void app.whenReady().then(async () => {
    try {
      const focused = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const downloads = saveDialogDownloads(dialog, { window: focused, downloadsDir: () => app.getPath('downloads') });
      core = await createCore({
        configDir: app.getPath('userData'),
        downloads,
        chooseRecording: openRecordingDialog(dialog, focused),
        rendererDir,
        // Attached clusters' secrets, encrypted with the OS keychain (the web host keeps a 0600 file instead).
        secrets: (dir) => new SafeStorageSecretStore(join(dir, 'secrets.safestorage.json'), safeStorage),
      });
    } catch (err) {
      // Without a window nothing would ever quit the app: say why and leave.
      dialog.showErrorBox('Mesoscope cannot start', err instanceof Error ? err.message : String(err));
      app.quit();
      return;
    }
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
    denyAllPermissions(session.defaultSession);
    bindIpc(ipcMain, core.dispatcher, (frame) => frame !== null && isAppUrl(frame.url));
    openMainWindow();
    await serveCli(core).catch((err: unknown) => console.error(`The CLI will run its own engine: the API socket did not start (${(err as Error).message}).`));
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void cliHost?.unpublish().then(() => cliHost?.host.close());
    void core?.dispose();
  });
}

/** The same API as the window's, on a loopback socket with a token, published for the CLI. */
async function serveCli(running: Core): Promise<void> {
  const host = await startWebHost({ dispatcher: running.dispatcher, rendererDir });
  const unpublish = await publishHostEndpoint(app.getPath('userData'), { pid: process.pid, url: hostApiUrl('127.0.0.1', host.port, host.token) });
  cliHost = { host, unpublish };
}
