import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mesoscopeCli } from '../../testbed/support/mesoscope-cli';

// The built CLI (bin/mesoscope.cjs -> dist/electron/cli.cjs), as a script would run it.
let dir: string;
let env: NodeJS.ProcessEnv;

const mesoscope = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 120_000 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-cli-'));
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  await writeFile(
    join(dir, 'spec.yaml'),
    'name: cli-it\nagents: { count: 2 }\nimages:\n  zookeeper: mesoscope/zookeeper:test\n  master: mesoscope/mesos-emulator:test\n  agent: mesoscope/mesos-emulator:test\npullPolicy: never\n',
  );
});

afterAll(async () => {
  await mesoscope('down', 'cli-it');
  await rm(dir, { recursive: true, force: true });
});

describe('the mesoscope CLI', () => {
  it('brings a cluster up, lists it, shows its status, and takes it down, with exit codes for scripts', async () => {
    // Its images are not the defaults: shown for review, launched with --yes.
    const up = await mesoscope('up', '-f', join(dir, 'spec.yaml'), '--yes');
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(/mesoscope-cli-it-agent-2 +ready/);
    expect(up.stdout).toMatch(/^NODE +ROLE +STATE +ADDRESS/);
    expect(up.stdout).toContain('export MESOS_MASTER=zk://127.0.0.1:');

    const ls = await mesoscope('ls', '--json');
    const listed = JSON.parse(ls.stdout) as { name: string; nodes: { state: string }[] }[];
    expect(listed.find((c) => c.name === 'cli-it')?.nodes.map((n) => n.state)).toEqual(['running', 'running', 'running', 'running']);

    const status = await mesoscope('status', 'cli-it');
    expect(status.stdout).toMatch(/mesoscope-cli-it-master-1 +master +running +127\.0\.0\.1:\d+/);

    const again = await mesoscope('up', '-f', join(dir, 'spec.yaml'), '--yes');
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('name: a cluster named "cli-it" already exists');

    const down = await mesoscope('down', 'cli-it');
    expect(down).toMatchObject({ code: 0 });
    expect(down.stdout).toMatch(/^Destroyed cli-it: 5 containers/);
    expect((await mesoscope('status', 'cli-it')).code).toBe(4);
    // A launch of five containers and their destroy, seven CLI processes: 10 s alone, twice that while
    // other files launch theirs (the default 20 s ran out with three files at a time).
  }, 60_000);

  it('refuses a bad spec with exit code 2, naming the field', async () => {
    const bad = await mesoscope('up', '--name', 'cli-bad', '--masters', '2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('masters.count: must be 1 or 3');
    expect((await mesoscope('frobnicate')).code).toBe(2);
    expect((await mesoscope('up', '--agent', '3')).code).toBe(2);
    expect((await mesoscope('up', '-f', join(dir, 'missing.yaml'))).code).toBe(2);
    const typo = await mesoscope('down', 'no-such-cluster');
    expect(typo.code).toBe(4);
    expect(typo.stderr).toContain('No cluster named "no-such-cluster"');
  });
});
