import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher } from '../api/dispatcher';
import { fakeHandlers } from '../api/fake-handlers.test-support';
import { DownloadTickets } from './downloads';
import { startWebHost, type WebHost } from './server';
import { MAX_CONNECTIONS, MAX_SUBSCRIPTIONS } from './ws-api';

let host: WebHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** Open a socket and say what happened: 'open', or the HTTP status the upgrade was refused with. */
function tryConnect(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    ws.on('error', (err) => resolve(`error: ${err.message}`));
  });
}

describe('the web host WebSocket', () => {
  it('refuses a connection without the token, or with a wrong one', async () => {
    host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname });
    const base = `ws://127.0.0.1:${host.port}/api`;
    expect(await tryConnect(base)).toBe('401');
    expect(await tryConnect(`${base}?token=`)).toBe('401');
    expect(await tryConnect(`${base}?token=${host.token.slice(0, -1)}x`)).toBe('401');
    expect(await tryConnect(`${base}?token=${host.token}`)).toBe('open');
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname });
    const url = `ws://127.0.0.1:${host.port}/api?token=${host.token}`;
    expect(await tryConnect(url, { Host: `evil.example:${host.port}` })).toBe('403');
  });

  it('will not listen on anything but loopback', async () => {
    await expect(
      startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname, host: '0.0.0.0' }),
    ).rejects.toThrow(/loopback only/);
  });

  it('answers unreadable messages with a protocol error and keeps serving', async () => {
    host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname });
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
    await new Promise((resolve) => ws.once('open', resolve));
    const replies: unknown[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'call', id: -1, name: 'docker.status', input: {} }));
    ws.send(JSON.stringify({ type: 'call', id: 7, name: 'docker.status', input: {} }));
    await expect.poll(() => replies.length).toBe(3);
    expect(replies[0]).toEqual({ type: 'protocol-error', message: 'messages must be JSON text' });
    expect(replies[1]).toMatchObject({ type: 'protocol-error' });
    expect(replies[2]).toMatchObject({ type: 'result', id: 7, envelope: { ok: true } });
    ws.close();
  });

  it('drops a socket that sends an oversized frame, and keeps serving the others', async () => {
    host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname });
    const url = `ws://127.0.0.1:${host.port}/api?token=${host.token}`;
    const rude = new WebSocket(url);
    await new Promise((resolve) => rude.once('open', resolve));
    const closed = new Promise((resolve) => rude.once('close', resolve));
    rude.on('error', () => {});
    rude.send('x'.repeat(2 * 1024 * 1024));
    await closed;
    expect(await tryConnect(url)).toBe('open');
  });

  it('ends the subscriptions of a socket when it closes', async () => {
    const signals: AbortSignal[] = [];
    const dispatcher = createDispatcher(fakeHandlers({ onSubscribe: (signal) => signals.push(signal) }));
    host = await startWebHost({ dispatcher, rendererDir: __dirname });
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'subscribe', id: 1, name: 'docker.statusChanged', params: {} }));
    ws.send(JSON.stringify({ type: 'subscribe', id: 2, name: 'docker.statusChanged', params: {} }));
    await expect.poll(() => signals.length).toBe(2);
    ws.send(JSON.stringify({ type: 'unsubscribe', id: 1 }));
    await expect.poll(() => signals[0]?.aborted).toBe(true);
    expect(signals[1]?.aborted).toBe(false);
    ws.close();
    await expect.poll(() => signals[1]?.aborted).toBe(true);
  });

  it("refuses another page's Origin (and a sandboxed frame's null) even with the token; programs send none", async () => {
    host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname });
    const url = `ws://127.0.0.1:${host.port}/api?token=${host.token}`;
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`, `http://127.0.0.1.evil.example:${host.port}`]) {
      expect(await tryConnect(url, { Origin: origin }), origin).toBe('403');
    }
    for (const origin of [`http://127.0.0.1:${host.port}`, `http://localhost:${host.port}`]) expect(await tryConnect(url, { Origin: origin }), origin).toBe('open');
    expect(await tryConnect(url)).toBe('open');
  });

  it(`holds at most ${MAX_CONNECTIONS} sockets and ${MAX_SUBSCRIPTIONS} subscriptions per socket`, async () => {
    const signals: AbortSignal[] = [];
    host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers({ onSubscribe: (signal) => signals.push(signal) })), rendererDir: __dirname });
    const url = `ws://127.0.0.1:${host.port}/api?token=${host.token}`;
    const sockets: WebSocket[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) {
      const ws = new WebSocket(url);
      await new Promise((resolve) => ws.once('open', resolve));
      sockets.push(ws);
    }
    expect(await tryConnect(url)).toBe('503');
    sockets.pop()?.close();
    await expect.poll(() => tryConnect(url)).toBe('open');

    const ws = sockets[0]!;
    const refusals: unknown[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string };
      if (message.type === 'subscription-error') refusals.push(message);
    });
    for (let id = 1; id <= MAX_SUBSCRIPTIONS + 5; id++) ws.send(JSON.stringify({ type: 'subscribe', id, name: 'docker.statusChanged', params: {} }));
    await expect.poll(() => refusals.length).toBe(5);
    expect(signals).toHaveLength(MAX_SUBSCRIPTIONS);
    expect(refusals[0]).toEqual({ type: 'subscription-error', id: MAX_SUBSCRIPTIONS + 1, error: { code: 'refused', message: `This connection holds ${MAX_SUBSCRIPTIONS} subscriptions already: end one first.` } });
    // Subscribing again under a live id replaces that subscription, it does not add one.
    ws.send(JSON.stringify({ type: 'subscribe', id: 1, name: 'docker.statusChanged', params: {} }));
    await expect.poll(() => signals.length).toBe(MAX_SUBSCRIPTIONS + 1);
    expect(refusals).toHaveLength(5);
    for (const socket of sockets) socket.close();
  });

  it('a request target no URL parser takes is a 400, and the host keeps serving', async () => {
    host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname, downloads: new DownloadTickets() });
    const raw = (request: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(host!.port, '127.0.0.1', () => socket.write(request));
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
        socket.on('error', () => resolve('error'));
      });
    expect(await raw('GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toBe('HTTP/1.1 400 Bad Request');
    expect(await raw(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${'a'.repeat(22)}==\r\n\r\n`)).toBe('HTTP/1.1 400 Bad Request');
    expect(await tryConnect(`ws://127.0.0.1:${host.port}/api?token=${host.token}`)).toBe('open');
  });
});
