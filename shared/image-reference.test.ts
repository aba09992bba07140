import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contract } from './contract';
import { validateSpec } from './cluster/spec';
import { isImageReference, parseImageReference } from './image-reference';

describe("image references (Docker's reference grammar)", () => {
  it('accepts what Docker accepts: names, registries with ports, tags and digests', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    for (const ok of [
      'busybox',
      'busybox:1.36',
      'zookeeper:3.8.6',
      'avhost/mesos-mini:v1.11.0-0.8.0',
      'mesoscope/mesos-emulator:test',
      '127.0.0.1:5000/mesoscope/task-base:test',
      'localhost:5000/a__b/c-d.e',
      'registry.example.com/team/app',
      `team/app@${digest}`,
      `team/app:v1@${digest}`,
      '[::1]:5000/x:y',
      'tensorflow/tensorflow:2.16.1',
      'busybox:mesoscope-no-such-tag',
    ]) {
      expect(parseImageReference(ok), ok).toMatchObject({ ok: true });
    }
    expect(parseImageReference(`team/app:v1@${digest}`)).toEqual({ ok: true, ref: { name: 'team/app', tag: 'v1', digest } });
  });

  it('refuses what would steer the request its name goes into: .., //, ?, #, %, spaces, upper case', () => {
    for (const bad of [
      '../../version',
      '..//127.0.0.1:9/x',
      'a/../b',
      './x',
      'a//b',
      'x?all=1',
      'x#y',
      'x%2f..',
      'busy box',
      'Busybox',
      'a/B',
      'x:',
      ':tag',
      'x@sha256:short',
      '/x',
      'x/',
      'a:b:c',
      '',
      'x'.repeat(300),
    ]) {
      expect(parseImageReference(bad), bad).toMatchObject({ ok: false, message: expect.stringMatching(/^must /) });
    }
    expect(parseImageReference('../../version')).toMatchObject({ message: expect.stringContaining('".."') });
    expect(parseImageReference('busy box')).toMatchObject({ message: 'must not contain spaces' });
  });

  it('no accepted reference has a path segment that Go would clean (., ..) or an empty one, nor ? # % \\', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab.:/_-@?#%\\1[]'.split('')), maxLength: 24 }), (text) => {
        if (!isImageReference(text)) return;
        const segments = text.split('/');
        expect(segments.every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
        expect(text).not.toMatch(/[?#%\\\s]/);
      }),
      { numRuns: 5000 },
    );
  });

  it('every field that names an image uses the grammar: spec, settings, images.check, runs and faults', () => {
    const hostile = '..//127.0.0.1:9/x';
    const refused = (name: keyof typeof contract.calls, input: unknown) => {
      const result = contract.calls[name].input.safeParse(input);
      expect(result.success, `${name} ${JSON.stringify(input)}`).toBe(false);
      return result.error?.issues.map((i) => i.path.join('.')) ?? [];
    };
    expect(refused('images.check', { images: ['busybox', hostile] })).toEqual(['images.1']);
    expect(refused('settings.update', { defaultImages: { agent: hostile } })).toEqual(['defaultImages.agent']);
    expect(refused('runs.launch', { cluster: 'c', name: 't', image: hostile, command: 'true' })).toEqual(['image']);
    expect(refused('faults.inject', { cluster: 'c', fault: 'stop-agent', taskImage: hostile })).toEqual(['taskImage']);
    expect(refused('faults.inject', { cluster: 'c', fault: 'missing-image', params: { image: hostile } })).toEqual(['params.image']);
    for (const role of ['zookeeper', 'master', 'agent']) {
      const result = validateSpec({ name: 'x', images: { [role]: hostile } });
      expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([`images.${role}`]);
    }
    // What the UI sends today still passes.
    expect(contract.calls['images.check'].input.safeParse({ images: ['mesoscope/zookeeper:test', '127.0.0.1:5000/mesoscope/task-base:test'] }).success).toBe(true);
    expect(contract.calls['runs.launch'].input.safeParse({ cluster: 'c', name: 't', image: '', command: 'true' }).success).toBe(true);
  });
});
