import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CALL_ACCESS } from '@shared/contract/access';
import { CALL_NAMES } from '@shared/contract';
import { createDispatcher, type Dispatcher } from '../api/dispatcher';
import { fakeHandlers } from '../api/fake-handlers.test-support';
import { SharingService } from './sharing-service';

let rendererDir: string;
let sharing: SharingService;

/** The fake handlers, with one cluster named "demo" for the audience view to show. */
function withCluster(inner: Dispatcher): Dispatcher {
  return {
    call: async (name, input) => (name === 'clusters.list' ? { ok: true, value: [{ name: 'demo' }] } : inner.call(name, input)),
    subscribe: (name, params, listener) => inner.subscribe(name, params, listener),
  };
}

beforeEach(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'mesoscope-share-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Mesoscope</title>');
  const dispatcher = withCluster(createDispatcher(fakeHandlers()));
  sharing = new SharingService({ dispatcher: () => dispatcher, rendererDir });
});

afterEach(async () => {
  await sharing.dispose();
  await rm(rendererDir, { recursive: true, force: true });
});

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function callOver(ws: WebSocket, id: number, name: string, input: unknown): Promise<{ ok: boolean; error?: { code: string; message: string; detail?: { issues?: Array<{ path: string; message: string }> } } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; id: number; envelope: never };
      if (message.type === 'result' && message.id === id) {
        ws.off('message', onMessage);
        resolve(message.envelope);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, name, input }));
  });
}

describe('the audience view', () => {
  it('listens on loopback by default with a viewer token: reads go through, every write is refused on the host with the field and reason', async () => {
    const states: number[] = [];
    sharing.subscribe((s) => states.push(s.viewers));
    const state = await sharing.start({ cluster: 'demo', address: '127.0.0.1', port: 0 });
    expect(state).toMatchObject({ on: true, cluster: 'demo', address: '127.0.0.1', viewers: 0 });
    expect(state.warning).toBeUndefined();
    const url = new URL(state.url!);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('watch')).toBe('demo');
    const ws = await open(`ws://127.0.0.1:${state.port}/api?token=${url.searchParams.get('token')}`);
    await expect.poll(() => sharing.state().viewers).toBe(1);

    expect((await callOver(ws, 1, 'clusters.list', {})).ok).toBe(true);
    expect((await callOver(ws, 2, 'settings.get', {})).ok).toBe(true);
    let id = 10;
    const writes = CALL_NAMES.filter((n) => CALL_ACCESS[n].kind === 'write');
    expect(writes).toEqual(expect.arrayContaining(['runs.launch', 'runs.kill', 'faults.inject', 'clusters.destroy', 'settings.update']));
    for (const name of writes) {
      const reply = await callOver(ws, id++, name, {});
      expect(reply.ok, name).toBe(false);
      expect(reply.error?.code, name).toBe('forbidden');
      expect(reply.error?.detail?.issues?.[0]?.path, name).toBe('name');
      expect(reply.error?.message, name).toContain(`${name} ${(CALL_ACCESS[name] as { reason: string }).reason}: the audience view is read-only`);
    }

    // Off: the viewer's socket is closed by the host, and the address no longer answers.
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await sharing.stop();
    await closed;
    expect(sharing.state()).toEqual({ on: false, viewers: 0 });
    await expect(open(`ws://127.0.0.1:${state.port}/api?token=${url.searchParams.get('token')}`)).rejects.toThrow();
    expect(states).toContain(1);
  });

  it("refuses the presenter's own token, an address this machine does not have, and a cluster that does not exist", async () => {
    const state = await sharing.start({ cluster: 'demo', address: '127.0.0.1', port: 0 });
    await expect(open(`ws://127.0.0.1:${state.port}/api?token=wrong`)).rejects.toThrow('refused 401');
    await expect(sharing.start({ cluster: 'demo', address: '203.0.113.9', port: 0 })).rejects.toThrow(/address: 203\.0\.113\.9 is not an address of this machine/);
    await expect(sharing.start({ cluster: 'nope', address: '127.0.0.1', port: 0 })).rejects.toThrow('cluster: no cluster named "nope"');
  });

  it('warns when the address is on the network', async () => {
    const lan = sharing.addresses().find((a) => !a.loopback);
    expect(sharing.addresses()[0]).toMatchObject({ address: '127.0.0.1', loopback: true });
    if (!lan) {
      // A machine with no network address: loopback is all there is to offer.
      expect(sharing.addresses()).toHaveLength(1);
      return;
    }
    const state = await sharing.start({ cluster: 'demo', address: lan.address, port: 0 });
    expect(state.warning).toMatch(/anyone there who gets the link can watch/);
    expect(new URL(state.url!).hostname).toBe(lan.address);
    const ws = await open(`ws://${lan.address}:${state.port}/api?token=${new URL(state.url!).searchParams.get('token')}`);
    ws.close();
  });
});
