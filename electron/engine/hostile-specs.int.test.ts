import Dockerode from 'dockerode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClusterSpec, validateSpec } from '@shared/cluster/spec';
import { UNSAFE_FLAGS, unsafeFlagReason } from '@shared/cluster/unsafe-flags';
import { isImageReference } from '@shared/image-reference';
import { nodeContainers } from './node-containers';
import { allocateLayout, PortInUse } from './port-allocation';
import { preflight, PreflightError } from './preflight';

/**
 * Issue 15, fuzzing as a test: 1,000 generated specs, most of them hostile, through validateSpec →
 * preflight (the real Docker daemon) → the engine's container parameters. 0 crashes; every refusal
 * names its field; and whatever is accepted cannot carry an unsafe flag it did not opt into, a name
 * that is not an image reference, or privileges it did not ask for.
 */

const TEST_IMAGES = ['mesoscope/zookeeper:test', 'mesoscope/mesos-emulator:test', 'mesoscope/task-base:test'];
const SPEC_FIELDS = ['name', 'zookeeper', 'masters', 'agents', 'images', 'network', 'pullPolicy', 'timers', 'privilegedAgents', 'allowUnsafeFlags'];

const flagName = fc.oneof(
  fc.constantFrom(...Object.keys(UNSAFE_FLAGS)),
  fc.constantFrom('allocation_interval', 'containerizers', 'executor_registration_timeout', 'log_dir', 'constructor', '__proto__', '--ip', 'IP'),
  fc.string({ maxLength: 12 }),
);
const flagValue = fc.oneof(fc.constantFrom('0.0.0.0', 'file:///etc/shadow', '{"volumes":[{"host_path":"/"}]}', '250ms', ''), fc.string({ maxLength: 20 }), fc.integer(), fc.boolean());
const flags = fc.dictionary(flagName, flagValue, { maxKeys: 3 });
const image = fc.oneof(
  fc.constantFrom(...TEST_IMAGES),
  fc.constantFrom('../../version', '..//127.0.0.1:1/x', 'Busybox', 'busy box', 'x?all=1', '', 'a//b', `team/app@sha256:${'0'.repeat(64)}`),
  fc.string({ maxLength: 30 }),
);
const port = fc.oneof(fc.integer({ min: 1024, max: 65535 }), fc.integer(), fc.constant(80));
const resources = fc.record({ cpus: fc.oneof(fc.double({ min: 0, max: 300, noNaN: true }), fc.constant(-1)), mem: fc.integer({ min: 0, max: 4096 }) }, { requiredKeys: [] });
const agent = fc.record({ flags, resources, verbose: fc.integer({ min: -1, max: 4 }) }, { requiredKeys: [] });

const specLike = fc.record(
  {
    name: fc.oneof(fc.constantFrom('fz-hostile', 'fz-other'), fc.string({ maxLength: 40 })),
    masters: fc.record({ count: fc.constantFrom(1, 2, 3), flags, port }, { requiredKeys: [] }),
    agents: fc.oneof(
      fc.record({ count: fc.integer({ min: -1, max: 25 }), flags, resources }, { requiredKeys: [] }),
      fc.record({ list: fc.array(agent, { maxLength: 4 }) }),
    ),
    images: fc.record({ zookeeper: image, master: image, agent: image }, { requiredKeys: [] }),
    privilegedAgents: fc.oneof(fc.boolean(), fc.constant('yes')),
    allowUnsafeFlags: fc.oneof(fc.array(flagName, { maxLength: 3 }), fc.constant('ip')),
    pullPolicy: fc.constantFrom('never', 'always', 'if-missing', 'sometimes'),
    network: fc.constantFrom('auto', 'host', 'bridge', 'none'),
    timers: fc.record({ agentPingTimeout: fc.constantFrom('1secs', 'soon') }, { requiredKeys: [] }),
    zzz: fc.anything(),
  },
  { requiredKeys: ['name'] },
);

/** Specs that pass, often with unsafe flags they opt into, privileged agents, images of their own. */
const safeFlags = fc.dictionary(fc.constantFrom('allocation_interval', 'containerizers', 'executor_registration_timeout', 'log_dir', 'ip', 'default_container_info', 'modules'), fc.constantFrom('250ms', '0.0.0.0', 'docker,mesos'), { maxKeys: 3 });
const passing = fc
  .record({
    name: fc.constantFrom('fz-hostile', 'fz-other'),
    masters: fc.record({ count: fc.constantFrom(1, 3), flags: safeFlags }),
    agents: fc.oneof(fc.record({ count: fc.integer({ min: 1, max: 4 }), flags: safeFlags }), fc.record({ list: fc.array(fc.record({ flags: safeFlags }), { minLength: 1, maxLength: 3 }) })),
    images: fc.record({ zookeeper: fc.constantFrom(...TEST_IMAGES), master: fc.constantFrom(...TEST_IMAGES), agent: fc.constantFrom(...TEST_IMAGES, 'registry.example:5000/x/y:1') }),
    privilegedAgents: fc.boolean(),
    allowUnsafeFlags: fc.subarray(['ip', 'default_container_info', 'modules']),
  })
  .map((spec) => ({ ...spec, pullPolicy: 'never' }));

/** What a validated spec may never carry into the containers. */
function checkContainers(spec: ClusterSpec, containers: ReturnType<typeof nodeContainers>): void {
  const allowed = new Set(spec.allowUnsafeFlags);
  for (const c of containers) {
    expect(isImageReference(c.create.Image ?? '')).toBe(true);
    const hostConfig = c.create.HostConfig ?? {};
    if (c.role !== 'agent' || !spec.privilegedAgents) expect(hostConfig.Privileged ?? false).toBe(false);
    // Only the Docker socket and the agent's own work dir come from the host.
    for (const bind of hostConfig.Binds ?? []) expect(bind).toMatch(/^(\/var\/run\/docker\.sock:\/var\/run\/docker\.sock|\/tmp\/fz-work\/[^:]+:\/tmp\/fz-work\/[^:]+)$/);
    const flagsOf = c.role === 'master' ? spec.masters.flags : c.role === 'agent' ? Object.assign({}, ...(spec.agents.list ?? [spec.agents]).map((a) => a.flags)) : {};
    for (const [flag, value] of Object.entries(flagsOf as Record<string, string>)) {
      if (unsafeFlagReason(flag, value)) expect(allowed.has(flag), `${c.name} --${flag}`).toBe(true);
    }
  }
}

describe('1,000 generated specs through validateSpec → preflight → container parameters', () => {
  it('0 crashes; each refusal names its field; what passes carries nothing it did not opt into', async () => {
    const docker = new Dockerode();
    const tally = { refusedByValidation: 0, refusedByPreflight: 0, refusedByPorts: 0, containers: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 5, arbitrary: specLike }, { weight: 4, arbitrary: passing }, { weight: 1, arbitrary: fc.anything() }), async (input) => {
        const validation = validateSpec(input);
        if (!validation.ok) {
          tally.refusedByValidation += 1;
          expect(validation.issues.length).toBeGreaterThan(0);
          const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
          for (const issue of validation.issues) {
            expect(issue.message.length).toBeGreaterThan(0);
            // The field is named from the top: one of the spec's fields or one the input has.
            if (isObject) {
              const top = [...SPEC_FIELDS, ...Object.keys(input as object)];
              expect(top.some((k) => issue.path === k || issue.path.startsWith(`${k}.`) || issue.path.startsWith(`${k}[`)), issue.path).toBe(true);
            }
          }
          return;
        }
        const spec = validation.spec;
        for (const role of ['zookeeper', 'master', 'agent'] as const) expect(isImageReference(spec.images[role])).toBe(true);
        // pullPolicy never: preflight only inspects local images, so no registry is asked for a generated name.
        try {
          await preflight(docker, { ...spec, pullPolicy: 'never' });
        } catch (err) {
          expect(err).toBeInstanceOf(PreflightError);
          expect((err as Error).message).toMatch(/^(name|images): /);
          tally.refusedByPreflight += 1;
        }
        let layout;
        try {
          layout = await allocateLayout(spec, { hostAddress: '127.0.0.1', network: 'host', workRoot: '/tmp/fz-work', reserved: { ports: new Set(), ranges: [] }, isFree: async () => true });
        } catch (err) {
          expect(err).toBeInstanceOf(PortInUse);
          expect((err as Error).message).toMatch(/^[\w.[\]]+: /);
          tally.refusedByPorts += 1;
          return;
        }
        checkContainers(spec, nodeContainers(spec, layout));
        tally.containers += 1;
      }),
      { numRuns: 1000, seed: 15 },
    );
    // The generators reach every stage, not only the first refusal.
    expect(tally.refusedByValidation).toBeGreaterThan(100);
    expect(tally.containers).toBeGreaterThan(20);
    console.log(`hostile specs: ${JSON.stringify(tally)}`);
  }, 600_000);
});
