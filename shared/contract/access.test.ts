import { describe, expect, it } from 'vitest';
import { CALL_ACCESS, EVENT_ACCESS } from './access';
import { CALL_NAMES, EVENT_NAMES } from './index';

describe('viewer access table', () => {
  it('classifies every call and every event of the contract, and nothing else', () => {
    expect(Object.keys(CALL_ACCESS).sort()).toEqual([...CALL_NAMES].sort());
    expect(Object.keys(EVENT_ACCESS).sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('gives every write a reason, and keeps the calls the issue names as writes', () => {
    for (const [name, access] of Object.entries(CALL_ACCESS)) {
      if (access.kind === 'write') expect(access.reason, name).toMatch(/\w{3}/);
    }
    for (const name of ['runs.launch', 'runs.kill', 'faults.inject', 'clusters.destroy', 'settings.update'] as const) expect(CALL_ACCESS[name].kind).toBe('write');
    // A viewer watches: every subscription is a read except those that act on the host.
    const writeEvents = Object.entries(EVENT_ACCESS).filter(([, a]) => a.kind === 'write').map(([n]) => n);
    expect(writeEvents.sort()).toEqual(['bundles.export', 'exec.session']);
  });
});
