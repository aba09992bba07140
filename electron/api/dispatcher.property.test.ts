import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALL_NAMES, EVENT_NAMES } from '@shared/contract';
import { EnvelopeSchema } from '@shared/errors';
import { createDispatcher } from './dispatcher';
import { fakeHandlers } from './fake-handlers.test-support';

const dispatcher = createDispatcher(fakeHandlers());
const anyName = fc.oneof(fc.constantFrom(...CALL_NAMES, ...EVENT_NAMES, '__proto__', 'constructor', 'toString'), fc.anything());

describe('the dispatcher at the API boundary', () => {
  it('answers any name and any input with an envelope, never a throw; refusals name a field', async () => {
    await fc.assert(
      fc.asyncProperty(anyName, fc.anything(), async (name, input) => {
        const envelope = await dispatcher.call(name, input);
        expect(EnvelopeSchema.safeParse(envelope).success).toBe(true);
        if (!envelope.ok && envelope.error.code === 'invalid-input') {
          expect(envelope.error.message).toMatch(/^[\w.]+: .+/);
          expect((envelope.error.detail as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses malformed settings patches with the path of the offending field', async () => {
    const badPatch = fc.record({ dockerEndpoint: fc.oneof(fc.integer(), fc.boolean(), fc.string().filter((s) => !s.includes('://'))) });
    await fc.assert(
      fc.asyncProperty(badPatch, async (patch) => {
        const envelope = await dispatcher.call('settings.update', patch);
        expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
        expect(!envelope.ok && envelope.error.message).toContain('dockerEndpoint');
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws for any subscription request', () => {
    fc.assert(
      fc.property(anyName, fc.anything(), (name, params) => {
        const result = dispatcher.subscribe(name, params, { next: () => {}, error: () => {} });
        if (result.ok) result.unsubscribe();
        else expect(typeof result.error.message).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });
});
