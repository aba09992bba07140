import { describe, expect, it } from 'vitest';
import { contract } from '@shared/contract';
import type { ApiErrorData } from '@shared/errors';
import { createDispatcher, type Handlers } from './dispatcher';
import { fakeHandlers } from './fake-handlers.test-support';

/** A dashboard.deltas handler that sends one payload the contract does not allow. */
function handlersSending(payload: unknown): Handlers {
  const base = fakeHandlers();
  const events = { ...base.events, 'dashboard.deltas': (_params: unknown, emit: (p: never) => void) => emit(payload as never) } as Handlers['events'];
  return { calls: base.calls, events };
}

function receive(checkHotPayloads: boolean | undefined, payload: unknown): { next: unknown[]; errors: ApiErrorData[] } {
  const next: unknown[] = [];
  const errors: ApiErrorData[] = [];
  const dispatcher = createDispatcher(handlersSending(payload), checkHotPayloads === undefined ? undefined : { checkHotPayloads });
  const result = dispatcher.subscribe('dashboard.deltas', { cluster: 'demo' }, { next: (p) => next.push(p), error: (e) => errors.push(e) });
  expect(result.ok).toBe(true);
  return { next, errors };
}

describe('hot subscriptions in the dispatcher', () => {
  const bad = { clusterId: 'demo', seq: 'not a number', deltas: [] };
  const good = { clusterId: 'demo', seq: 1, deltas: [] };

  it('marks dashboard.deltas hot, saying where its data is checked', () => {
    expect(contract.events['dashboard.deltas'].hot).toMatch(/MasterClient/);
  });

  it('checks a hot payload by default (as the tests run it) and ends the subscription on a bad one', () => {
    expect(receive(undefined, bad)).toEqual({ next: [], errors: [expect.objectContaining({ code: 'internal' })] });
    expect(receive(true, good).next).toEqual([good]);
  });

  it('passes a hot payload through unparsed when told its data was checked where it entered', () => {
    const { next, errors } = receive(false, bad);
    expect(errors).toEqual([]);
    expect(next[0]).toBe(bad);
  });

  it('still checks the payloads of other subscriptions with checkHotPayloads off', () => {
    const base = fakeHandlers();
    const events = { ...base.events, 'docker.statusChanged': (_p: unknown, emit: (p: never) => void) => emit({ nonsense: true } as never) } as Handlers['events'];
    const errors: ApiErrorData[] = [];
    createDispatcher({ calls: base.calls, events }, { checkHotPayloads: false }).subscribe('docker.statusChanged', {}, { next: () => undefined, error: (e) => errors.push(e) });
    expect(errors).toEqual([expect.objectContaining({ code: 'internal' })]);
  });
});
