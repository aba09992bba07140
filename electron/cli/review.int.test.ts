import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mesoscopeCli } from '../../testbed/support/mesoscope-cli';

/** From the command line: a spec from elsewhere is shown before it runs, and runs only with --yes. */
let dir: string;
let env: NodeJS.ProcessEnv;

const mesoscope = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 60_000 });

async function containersOf(cluster: string): Promise<number> {
  return (await new Dockerode().listContainers({ all: true, filters: { label: [`io.mesoscope.cluster=${cluster}`] } })).length;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-cli-review-'));
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mesoscope up and a spec from elsewhere', () => {
  it('refuses unsafe flags the spec does not opt into, naming each field (exit 2)', async () => {
    await writeFile(
      join(dir, 'hostile.yaml'),
      'name: cli-hostile\nmasters: { flags: { ip: 0.0.0.0 } }\nagents:\n  flags:\n    default_container_info: \'{"type":"DOCKER","volumes":[{"host_path":"/","container_path":"/host","mode":"RW"}]}\'\n',
    );
    const answer = await mesoscope('up', '-f', join(dir, 'hostile.yaml'), '--yes');
    expect(answer.code).toBe(2);
    expect(answer.stderr).toContain('masters.flags.ip: --ip decides where the node listens');
    expect(answer.stderr).toContain('agents.flags.default_container_info: --default_container_info decides which Docker the agent drives and what every task container mounts');
    expect(await containersOf('cli-hostile')).toBe(0);
  });

  it('prints the review and creates nothing without --yes (exit 2)', async () => {
    await writeFile(
      join(dir, 'opted.yaml'),
      [
        'name: cli-opted',
        'privilegedAgents: true',
        'allowUnsafeFlags: [ip]',
        'images: { zookeeper: mesoscope/zookeeper:test, master: mesoscope/mesos-emulator:test, agent: mesoscope/mesos-emulator:test }',
        'masters: { flags: { ip: 0.0.0.0, allocation_interval: 250ms } }',
        'pullPolicy: never',
        '',
      ].join('\n'),
    );
    const answer = await mesoscope('up', '-f', join(dir, 'opted.yaml'));
    expect(answer.code).toBe(2);
    const lines = answer.stderr.split('\n');
    expect(lines[0]).toBe("This spec asks for more than Mesoscope's defaults (4 marked ! can give its author this machine):");
    expect(lines).toEqual(
      expect.arrayContaining([
        "! images.agent = mesoscope/mesos-emulator:test  (not a default image: agents run it with this machine's Docker socket, i.e. as root here)",
        "! privilegedAgents = true  (agents run privileged: every device and kernel capability of this machine's Docker host)",
        '! allowUnsafeFlags = ip  (lets this spec set flags Mesoscope otherwise refuses)',
        '! masters.flags.ip = 0.0.0.0  (--ip decides where the node listens or advertises (who can reach an unauthenticated Mesos))',
        '- masters.flags.allocation_interval = 250ms  (--allocation_interval)',
        'Nothing was created. Check the above, then run again with --yes to launch it.',
      ]),
    );
    expect(await containersOf('cli-opted')).toBe(0);
  });

  it("a spec with nothing beyond the defaults (Settings' images count as defaults) is not held", async () => {
    // Images that do not exist, never pulled: past the review, preflight refuses it before anything is created.
    const absent = { zookeeper: 'mesoscope/absent:none', master: 'mesoscope/absent:none', agent: 'mesoscope/absent:none' };
    await mkdir(join(dir, 'config'), { recursive: true });
    await writeFile(join(dir, 'config', 'settings.json'), JSON.stringify({ defaultImages: absent }));
    await writeFile(join(dir, 'plain.json'), JSON.stringify({ name: 'cli-plain', images: absent, pullPolicy: 'never' }));
    const answer = await mesoscope('up', '-f', join(dir, 'plain.json'));
    expect(answer.stderr).not.toContain('asks for more than');
    expect(answer.code).toBe(3);
    expect(answer.stderr).toContain('mesoscope/absent:none');
    expect(await containersOf('cli-plain')).toBe(0);
  });
});
