import { afterEach, describe, expect, it } from 'vitest';
import { createWsTransport } from '@shared/api/ws-transport';
import { createDispatcher, type Handlers } from '../api/dispatcher';
import { fakeHandlers } from '../api/fake-handlers.test-support';
import { nodeSocket } from './node-socket';
import { startWebHost, type WebHost } from './server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function host(port = 0, handlers: Handlers = fakeHandlers()): Promise<WebHost> {
  return startWebHost({ dispatcher: createDispatcher(handlers), rendererDir: __dirname, port, token: 'secret-token' });
}

describe('the WebSocket client transport', () => {
  it('queues calls until connected, then answers them', async () => {
    const h = await host();
    cleanups.push(() => h.close());
    const transport = createWsTransport({ url: `ws://127.0.0.1:${h.port}/api?token=secret-token`, createSocket: nodeSocket });
    cleanups.push(() => transport.close());
    expect(transport.connectionState()).toBe('connecting');
    await expect(transport.call('settings.get', {})).resolves.toMatchObject({ ok: true });
    expect(transport.connectionState()).toBe('open');
  });

  it('reports the lost connection, reconnects when the host is back, and resubscribes', async () => {
    let h = await host();
    const port = h.port;
    const transport = createWsTransport({
      url: `ws://127.0.0.1:${port}/api?token=secret-token`,
      createSocket: nodeSocket,
      backoffMs: [50, 100],
    });
    cleanups.push(() => transport.close());
    const states: string[] = [];
    transport.onConnectionState((s) => states.push(s));
    let events = 0;
    transport.subscribe('docker.statusChanged', {}, { next: () => (events += 1), error: () => {} });
    await expect.poll(() => events).toBe(1);

    await h.close();
    await expect.poll(() => transport.connectionState()).toBe('reconnecting');
    h = await host(port);
    cleanups.push(() => h.close());
    await expect.poll(() => transport.connectionState(), { timeout: 5000 }).toBe('open');
    // The subscription was sent again: the host delivers the current status to it once more.
    await expect.poll(() => events).toBe(2);
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('fails a call that was in flight when the connection dropped, instead of sending it twice', async () => {
    const handlers = fakeHandlers();
    let received = 0;
    handlers.calls['settings.get'] = () => {
      received += 1;
      return new Promise(() => {}); // never answers
    };
    const h = await host(0, handlers);
    const transport = createWsTransport({ url: `ws://127.0.0.1:${h.port}/api?token=secret-token`, createSocket: nodeSocket, backoffMs: [60_000] });
    cleanups.push(() => transport.close());
    const pending = transport.call('settings.get', {});
    await expect.poll(() => received).toBe(1);
    await h.close();
    await expect(pending).resolves.toEqual({
      ok: false,
      error: { code: 'transport', message: 'The connection to the Mesoscope host was lost before it answered.' },
    });
    expect(received).toBe(1);
  });
});
