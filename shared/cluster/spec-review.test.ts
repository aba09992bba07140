import { describe, expect, it } from 'vitest';
import { type ClusterSpec, validateSpec } from './spec';
import { formatReview, reviewSpec } from './spec-review';
import { UNSAFE_FLAGS } from './unsafe-flags';

const accepted = (input: unknown): ClusterSpec => {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return result.spec;
};
const refusedPaths = (input: unknown) => {
  const result = validateSpec(input);
  return result.ok ? [] : result.issues.map((i) => i.path);
};

/** The spec of the security review: privileged, every interface, / mounted into every task, code loaded. */
const HOSTILE = {
  name: 'gift',
  privilegedAgents: true,
  images: { agent: 'evil/agent:latest' },
  masters: { flags: { ip: '0.0.0.0', allocation_interval: '250ms' } },
  agents: {
    list: [
      { flags: { default_container_info: '{"type":"DOCKER","volumes":[{"host_path":"/","container_path":"/host","mode":"RW"}]}' } },
      { flags: { modules: 'file:///tmp/m.json', hooks: 'org_evil_Hook', executor_registration_timeout: '1mins' } },
    ],
  },
};

describe('flags that hand the host over are refused unless the spec opts in', () => {
  it('refuses each unsafe flag of the hostile spec with its field named', () => {
    const result = validateSpec(HOSTILE);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual([
      'agents.list[0].flags.default_container_info',
      'agents.list[1].flags.hooks',
      'agents.list[1].flags.modules',
      'masters.flags.ip',
    ]);
    expect(result.issues.find((i) => i.path === 'masters.flags.ip')?.message).toBe(
      '--ip decides where the node listens or advertises (who can reach an unauthenticated Mesos); Mesoscope sets what it needs. To set it anyway, list "ip" in allowUnsafeFlags',
    );
  });

  it('covers the flags the issue names, on masters, agents by count and listed agents', () => {
    for (const flag of ['ip', 'advertise_ip', 'hostname', 'port', 'master', 'zk', 'work_dir', 'docker', 'docker_socket', 'modules', 'hooks', 'default_container_info']) {
      expect(UNSAFE_FLAGS[flag], flag).toBeDefined();
      expect(refusedPaths({ name: 'x', masters: { flags: { [flag]: 'v' } } })).toEqual([`masters.flags.${flag}`]);
      expect(refusedPaths({ name: 'x', agents: { count: 2, flags: { [flag]: 'v' } } })).toEqual([`agents.flags.${flag}`]);
      expect(refusedPaths({ name: 'x', agents: { list: [{}, { flags: { [flag]: 'v' } }] } })).toEqual([`agents.list[1].flags.${flag}`]);
      expect(validateSpec({ name: 'x', masters: { flags: { [flag]: 'v' } }, allowUnsafeFlags: [flag] }).ok).toBe(true);
    }
    // A value read from a file (file://) is unsafe whatever the flag.
    expect(refusedPaths({ name: 'x', agents: { flags: { attributes: 'file:///etc/shadow' } } })).toEqual(['agents.flags.attributes']);
    // An own-property check: a flag named like an Object.prototype member is just an ordinary flag.
    expect(validateSpec({ name: 'x', agents: { flags: { constructor: '1', to_string: '2' } } }).ok).toBe(true);
  });

  it('keeps ordinary flags: timeouts, containerizers, the doctor’s own fixes, log_dir', () => {
    const spec = accepted({
      name: 'ok',
      masters: { flags: { allocation_interval: '250ms', zk_session_timeout: '4secs' } },
      agents: { flags: { containerizers: 'mesos', executor_registration_timeout: '5mins', executor_environment_variables: '{"TZ":"UTC"}', log_dir: '/var/log/mesos' } },
    });
    expect(spec.allowUnsafeFlags).toEqual([]);
  });
});

describe('the review of a spec from elsewhere', () => {
  it('is empty for a preset with the default images, or Settings’ images', () => {
    expect(reviewSpec(accepted({ name: 'p', agents: { count: 3 } }))).toEqual([]);
    const own = { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' };
    expect(reviewSpec(accepted({ name: 'p', images: own }), { defaultImages: own })).toEqual([]);
  });

  it('lists non-default images, privileged agents, the opt-in and every flag; the dangerous ones in red', () => {
    const spec = accepted({ ...HOSTILE, allowUnsafeFlags: ['ip', 'default_container_info', 'modules', 'hooks'] });
    const items = reviewSpec(spec);
    const danger = items.filter((i) => i.level === 'danger').map((i) => i.path);
    const notice = items.filter((i) => i.level === 'notice').map((i) => i.path);
    expect(danger).toEqual([
      'images.agent',
      'privilegedAgents',
      'allowUnsafeFlags',
      'masters.flags.ip',
      'agents.list[0].flags.default_container_info',
      'agents.list[1].flags.modules',
      'agents.list[1].flags.hooks',
    ]);
    expect(notice).toEqual(['masters.flags.allocation_interval', 'agents.list[1].flags.executor_registration_timeout']);
    const text = formatReview(items);
    expect(text.split('\n')[0]).toBe("! images.agent = evil/agent:latest  (not a default image: agents run it with this machine's Docker socket, i.e. as root here)");
    expect(text).toContain('! masters.flags.ip = 0.0.0.0  (--ip decides where the node listens');
    expect(text).toContain('- masters.flags.allocation_interval = 250ms  (--allocation_interval)');
  });
});
