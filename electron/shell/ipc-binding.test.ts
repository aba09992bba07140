import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../api/dispatcher';
import { fakeHandlers } from '../api/fake-handlers.test-support';
import { isAppUrl } from './app-protocol';
import { IPC } from './ipc-channels';
import { bindIpc } from './ipc-binding';

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (...args: unknown[]) => unknown>();
  handle(channel: string, handler: (...args: unknown[]) => unknown) {
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

class FakeWebContents extends EventEmitter {
  static next = 1;
  readonly id = FakeWebContents.next++;
  readonly sent: unknown[][] = [];
  destroyed = false;
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

function setup() {
  const signals: AbortSignal[] = [];
  const ipcMain = new FakeIpcMain();
  const dispatcher = createDispatcher(fakeHandlers({ onSubscribe: (s) => signals.push(s) }));
  bindIpc(ipcMain as never, dispatcher, (frame) => frame !== null && isAppUrl(frame.url));
  const contents = new FakeWebContents();
  const event = (url: string) => ({ sender: contents, senderFrame: { url } });
  return { ipcMain, contents, signals, event };
}

describe('the ipcMain binding', () => {
  it('answers calls from the app’s own frame and validates their input', async () => {
    const { ipcMain, event } = setup();
    const call = ipcMain.handlers.get(IPC.call);
    await expect(call?.(event('app://mesoscope/index.html'), 'docker.status', {})).resolves.toMatchObject({ ok: true });
    await expect(call?.(event('app://mesoscope/index.html'), 'settings.update', { dockerEndpoint: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('dockerEndpoint') },
    });
  });

  it('refuses calls and subscriptions from any other frame', async () => {
    const { ipcMain, contents, signals, event } = setup();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html']) {
      await expect(ipcMain.handlers.get(IPC.call)?.(event(url), 'docker.status', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    await expect(ipcMain.handlers.get(IPC.call)?.({ sender: contents, senderFrame: null }, 'docker.status', {})).resolves.toMatchObject({
      ok: false,
    });
    ipcMain.emit(IPC.subscribe, event('https://evil.example/'), 'sub-1', 'docker.statusChanged', {});
    expect(signals).toHaveLength(0);
    expect(contents.sent[0]).toEqual([IPC.event, 'sub-1', { type: 'error', error: expect.objectContaining({ code: 'forbidden' }) }]);
  });

  it('streams events to the subscriber and ends its subscriptions when its window is destroyed', async () => {
    const { ipcMain, contents, signals, event } = setup();
    ipcMain.emit(IPC.subscribe, event('app://mesoscope/index.html'), 'a', 'docker.statusChanged', {});
    ipcMain.emit(IPC.subscribe, event('app://mesoscope/index.html'), 'b', 'docker.statusChanged', {});
    expect(signals).toHaveLength(2);
    expect(contents.sent[0]).toEqual([IPC.event, 'a', { type: 'event', payload: expect.objectContaining({ reachable: false }) }]);

    ipcMain.emit(IPC.unsubscribe, event('app://mesoscope/index.html'), 'a');
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    contents.destroyed = true;
    contents.emit('destroyed');
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });

  it('ends the subscriptions of a page that reloads or whose renderer dies, not on in-page navigation', () => {
    const { ipcMain, contents, signals, event } = setup();
    const subscribe = (id: string) => ipcMain.emit(IPC.subscribe, event('app://mesoscope/index.html'), id, 'docker.statusChanged', {});
    subscribe('a');
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    expect(signals.map((s) => s.aborted)).toEqual([false]);
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    expect(signals.map((s) => s.aborted)).toEqual([true]);
    subscribe('b');
    contents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });
});
