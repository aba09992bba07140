import { describe, expect, it } from 'vitest';
import { refusalFor } from './attached-guard';

// What the host refuses on attached clusters, whatever the UI shows (the integration test drives it through the API).
const lookup = (writes: boolean) => ({ has: (name: string) => name === 'prod', writesOn: () => writes });

describe('refusalFor', () => {
  it('leaves launched clusters alone', () => {
    expect(refusalFor('runs.launch', { cluster: 'demo' }, lookup(false))).toBeUndefined();
    expect(refusalFor('clusters.destroy', { name: 'demo' }, lookup(false))).toBeUndefined();
  });

  it('refuses Docker actions on an attached cluster, writes on or off', () => {
    for (const call of ['clusters.destroy', 'clusters.nodeAction', 'faults.inject', 'doctor.applyFix'] as const) {
      const input = call === 'clusters.destroy' ? { name: 'prod' } : { cluster: 'prod' };
      expect(refusalFor(call, input, lookup(true))?.message).toMatch(/not offered for the attached cluster "prod"/);
    }
  });

  it('refuses Run and Kill until writes are on', () => {
    expect(refusalFor('runs.kill', { cluster: 'prod' }, lookup(false))?.message).toMatch(/attached read-only: Kill is refused until writes are turned on/);
    expect(refusalFor('runs.kill', { cluster: 'prod' }, lookup(true))).toBeUndefined();
    expect(refusalFor('dashboard.deltas' as never, { cluster: 'prod' }, lookup(false))).toBeUndefined();
  });

  it('keeps the names one namespace', () => {
    expect(refusalFor('clusters.create', { spec: { name: 'prod' } }, lookup(false))?.message).toMatch(/taken by an attached cluster/);
    expect(refusalFor('clusters.create', { spec: { name: 'demo' } }, lookup(false))).toBeUndefined();
  });
});
