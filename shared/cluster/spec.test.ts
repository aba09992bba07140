import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets';
import { agentsOf, ClusterSpecSchema, DEFAULT_IMAGES, quorumOf, validateSpec } from './spec';
import { parseSpecText, specToText } from './spec-text';

const refusal = (input: unknown) => {
  const result = validateSpec(input);
  if (result.ok) throw new Error('accepted');
  return result.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('the cluster spec', () => {
  it('accepts the minimal file as is and defaults everything else', () => {
    const text =
      '{"name":"demo","agents":{"count":2},"images":{"zookeeper":"mesoscope/zookeeper:test",' +
      '"master":"mesoscope/mesos-emulator:test","agent":"mesoscope/mesos-emulator:test"}}';
    const result = parseSpecText(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec).toMatchObject({
      name: 'demo',
      masters: { count: 1, flags: {}, verbose: 0 },
      network: 'auto',
      pullPolicy: 'if-missing',
      timers: { executorRegistrationTimeout: '5mins', agentPingTimeout: '15secs', maxAgentPingTimeouts: 5 },
      images: { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test' },
    });
    expect(agentsOf(result.spec)).toHaveLength(2);
    expect(agentsOf(result.spec)[0]?.resources).toEqual({ cpus: 1, mem: 1024, disk: 4096 });
    expect(quorumOf(result.spec)).toBe(1);
  });

  it('defaults to real Mesos images', () => {
    const result = validateSpec({ name: 'x' });
    expect(result.ok && result.spec.images).toEqual(DEFAULT_IMAGES);
  });

  it('names the field and the rule of each refusal', () => {
    const list = [{}, {}, { resources: { mem: 16 } }];
    expect(refusal({ name: 'demo', agents: { list } })).toEqual(['agents.list[2].resources.mem: must be >= 32']);
    expect(refusal({ name: 'Demo_1' })).toEqual([
      'name: must be 1-32 lowercase letters, digits or dashes, starting and ending with a letter or digit',
    ]);
    expect(refusal({ name: 'd', masters: { count: 2 } })).toEqual(['masters.count: must be 1 or 3']);
    expect(refusal({ name: 'd', agents: { count: 0 } })).toEqual(['agents.count: must be >= 1']);
    expect(refusal({ name: 'd', agents: { count: 2, list: [{}] } })).toEqual(['agents.list: give either count or list, not both']);
    expect(refusal({ name: 'd', timers: { agentPingTimeout: '15s' } })).toEqual([
      'timers.agentPingTimeout: must be a Mesos duration such as 10secs, 5mins or 1hrs',
    ]);
    expect(refusal({ name: 'd', agents: { list: [{ resources: { ports: { begin: 31100, end: 31000 } } }] } })).toEqual([
      'agents.list[0].resources.ports.end: must be >= begin',
    ]);
    expect(refusal({ name: 'd', pullPolicy: 'sometimes' })[0]).toMatch(/^pullPolicy: /);
    expect(refusal({ name: 'd', agents: { flags: { '--port': 1 } } })[0]).toMatch(/^agents\.flags\.--port: /);
    expect(refusal({ name: 'd', colour: 'blue' })[0]).toMatch(/colour/);
  });

  it('reads YAML and JSON, and writes both back to the same spec', () => {
    const yaml = 'name: ha\nmasters:\n  count: 3\nagents:\n  count: 3\n  attributes: { rack: r1 }\n';
    const parsed = parseSpecText(yaml);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(quorumOf(parsed.spec)).toBe(2);
    for (const format of ['json', 'yaml'] as const) {
      const again = parseSpecText(specToText(parsed.spec, format));
      expect(again.ok && again.spec).toEqual(parsed.spec);
    }
  });

  it('says where a file is not JSON or YAML', () => {
    const result = parseSpecText('name: demo\n  agents: [');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.message).toMatch(/^not valid JSON or YAML: /);
    expect(parseSpecText('- a\n- b')).toEqual({ ok: false, issues: [{ path: '', message: 'a spec is an object with at least a name' }] });
  });

  it('makes a valid spec of every preset', () => {
    for (const preset of PRESETS) expect(validateSpec({ name: 'p', ...preset.spec }).ok, preset.id).toBe(true);
  });

  it('refuses 1,000 generated invalid specs without a crash, each with a field path', () => {
    // Start from a valid spec and break one field with a value of the wrong kind or range.
    const breakage = fc.oneof(
      fc.record({ path: fc.constant(['masters', 'count']), value: fc.oneof(fc.integer({ min: 4 }), fc.constant(2), fc.string()) }),
      fc.record({ path: fc.constant(['agents', 'count']), value: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 21 }), fc.double({ min: 1.1, max: 1.9 })) }),
      fc.record({ path: fc.constant(['agents', 'resources', 'mem']), value: fc.oneof(fc.integer({ max: 31 }), fc.string()) }),
      fc.record({ path: fc.constant(['agents', 'resources', 'cpus']), value: fc.oneof(fc.double({ max: 0, noNaN: true }), fc.constant(null)) }),
      fc.record({ path: fc.constant(['name']), value: fc.oneof(fc.constant(''), fc.string().map((s) => `${s}!`), fc.integer()) }),
      fc.record({ path: fc.constant(['timers', 'agentPingTimeout']), value: fc.string().filter((s) => !/^\d+(\.\d+)?(ns|us|ms|secs|mins|hrs|days|weeks)$/.test(s)) }),
      fc.record({ path: fc.constant(['network']), value: fc.string().filter((s) => !['auto', 'host', 'bridge'].includes(s)) }),
    );
    fc.assert(
      fc.property(breakage, ({ path, value }) => {
        const spec: Record<string, unknown> = { name: 'ok', masters: {}, agents: { resources: {} }, timers: {} };
        let target = spec;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
        target[path.at(-1) as string] = value;
        const result = ClusterSpecSchema.safeParse(spec);
        expect(result.success).toBe(false);
        const issues = validateSpec(spec);
        expect(!issues.ok && issues.issues.map((i) => i.path)).toContain(path.join('.'));
      }),
      { numRuns: 1000 },
    );
  });
});
