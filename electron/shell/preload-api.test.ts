import { describe, expect, it, vi } from 'vitest';
import type { MesoscopeBridge } from '@shared/api/bridge';
import { CALL_NAMES, EVENT_NAMES } from '@shared/contract';
import { IPC } from './ipc-channels';
import { exposeBridge } from './preload-api';

function fakeElectron() {
  const exposed: Record<string, unknown> = {};
  const handlers = new Map<string, (...args: unknown[]) => void>();
  const ipc = {
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'answer' })),
    send: vi.fn(),
    on: vi.fn((channel: string, handler: (...args: unknown[]) => void) => {
      handlers.set(channel, handler);
      return ipc;
    }),
  };
  const contextBridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => (exposed[key] = api)) };
  exposeBridge(contextBridge, ipc as never);
  return { bridge: exposed.mesoscope as MesoscopeBridge, exposed, ipc, handlers };
}

describe('the preload bridge', () => {
  it('exposes exactly the contract’s calls and events as window.mesoscope, frozen', () => {
    const { bridge, exposed } = fakeElectron();
    expect(Object.keys(exposed)).toEqual(['mesoscope']);
    expect(Object.keys(bridge)).toEqual(['calls', 'events']);
    expect(Object.keys(bridge.calls).sort()).toEqual([...CALL_NAMES].sort());
    expect(Object.keys(bridge.events).sort()).toEqual([...EVENT_NAMES].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.calls)).toBe(true);
    expect(Object.isFrozen(bridge.events)).toBe(true);
  });

  it('sends each call over the one call channel with its name and input', async () => {
    const { bridge, ipc } = fakeElectron();
    const call = bridge.calls['settings.update'];
    await expect(call?.({ dockerEndpoint: null })).resolves.toEqual({ ok: true, value: 'answer' });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC.call, 'settings.update', { dockerEndpoint: null });
  });

  it('routes events to their subscriber by id and unsubscribes once', () => {
    const { bridge, ipc, handlers } = fakeElectron();
    const received: unknown[] = [];
    const stop = bridge.events['docker.statusChanged']?.({}, (message) => received.push(message));
    const [, id, name, params] = ipc.send.mock.calls[0] as [string, string, string, unknown];
    expect(ipc.send.mock.calls[0]?.[0]).toBe(IPC.subscribe);
    expect([name, params]).toEqual(['docker.statusChanged', {}]);

    const deliver = handlers.get(IPC.event);
    deliver?.({}, id, { type: 'event', payload: 1 });
    deliver?.({}, 'someone-else', { type: 'event', payload: 2 });
    expect(received).toEqual([{ type: 'event', payload: 1 }]);

    stop?.();
    stop?.();
    expect(ipc.send.mock.calls.filter(([channel]) => channel === IPC.unsubscribe)).toEqual([[IPC.unsubscribe, id]]);
    deliver?.({}, id, { type: 'event', payload: 3 });
    expect(received).toHaveLength(1);
  });
});
