import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '@shared/bundle/schema';
import type { OutputSearchView } from '@shared/search/schema';
import { TEST_IMAGES } from '../../testbed/real-mesos/images';
import { docker } from '../../testbed/scenario/launcher';
import { mesoscopeCli } from '../../testbed/support/mesoscope-cli';
import { archiveEntries } from '../../testbed/support/archive-entries';

// The three questions from the CLI, on one emulator cluster of two small agents: why isn't my task
// launching (run --explain), where in all these logs (logs --grep), send me everything (export, and
// the bundle replayed read-only with the doctor's verdicts).

const NAME = `cli-q-${process.pid % 100_000}`;
const TASK_IMAGE = 'mesoscope/task-base:test';
let dir: string;
let env: NodeJS.ProcessEnv;


const mesoscope = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 150_000 });


beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-cli-q-'));
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  await writeFile(
    join(dir, 'spec.yaml'),
    [
      `name: ${NAME}`,
      'agents: { count: 2, resources: { cpus: 2, mem: 512, disk: 1024 } }',
      'masters: { flags: { allocation_interval: 250ms } }',
      // The emulator, or real Mesos with MESOSCOPE_TEST_MESOS_IMAGE (testbed/real-mesos/README.md).
      `images: { zookeeper: ${TEST_IMAGES.zookeeper}, master: ${TEST_IMAGES.master}, agent: ${TEST_IMAGES.agent} }`,
      'pullPolicy: never',
    ].join('\n'),
  );
  const up = await mesoscope('up', '-f', join(dir, 'spec.yaml'), '--yes');
  if (up.code !== 0) throw new Error(`up exited ${up.code}: ${up.stderr}`);
}, 180_000);

afterAll(async () => {
  const down = await mesoscope('down', NAME);
  expect(down.code, down.stderr).toBe(0);
  await rm(dir, { recursive: true, force: true });
}, 120_000);

describe('run --explain', () => {
  it('names mem on every agent, with the numbers, for a task bigger than any agent; refused when no offer holds it', async () => {
    const r = await mesoscope('run', NAME, '--explain', '--mem', '4096', '--offer-timeout', '4', '--', 'true');
    expect(r.code, r.stderr).toBe(3);
    const agentLines = r.stderr.split('\n').filter((l) => /^ {2}\S+:\d+: /.test(l));
    expect(agentLines.length).toBeGreaterThanOrEqual(2);
    for (const line of agentLines) expect(line).toMatch(/: mem: the agent has 512 MB in all, needs 4096$/);
    expect(r.stderr).toContain('every agent the task may go to is smaller than the task');
    expect(r.stderr).toMatch(/No offer could hold task \(0\.1 cpus and 4096 MB\) within 4 s/);
  }, 120_000);
});

describe('logs --grep', () => {
  it('finds the one line one of 20 tasks printed, grouped by task', async () => {
    const marker = `needle-${process.pid}`;
    const run = await mesoscope('run', NAME, '--name', 'many', '--instances', '20', '--cpus', '0.05', '--mem', '8', '--', `echo "hello from $MESOS_TASK_ID"; case "$MESOS_TASK_ID" in *-7) echo "${marker} is here";; esac; echo bye`);
    expect(run.code, run.stderr).toBe(0);
    const found = await mesoscope('logs', NAME, '--grep', marker, '--json');
    expect(found.code, found.stderr).toBe(0);
    const view = JSON.parse(found.stdout) as OutputSearchView;
    expect(view.done).toBe(true);
    expect(view.filesTotal).toBeGreaterThanOrEqual(40); // stdout and stderr of 20 tasks (and of the runs before)
    expect(view.groups).toHaveLength(1);
    const [group] = view.groups;
    expect(group?.taskId).toMatch(/^many-[0-9a-f]+-0?7$/);
    expect(group?.file).toBe('stdout');
    expect(group?.matches).toEqual([{ offset: expect.any(Number), line: `${marker} is here`, before: expect.stringMatching(/^hello from many-/), after: 'bye' }]);

    const text = await mesoscope('logs', NAME, '--grep', 'HELLO FROM', '--max-mb', '1');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/^20 matches in 20 files of \d+ searched/m);
    const bad = await mesoscope('logs', NAME, '--grep', '(', '--regex');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a regular expression');

    // Scoped to one agent (by its node name): only that agent's files, every match of its tasks.
    const all = JSON.parse((await mesoscope('logs', NAME, '--grep', 'hello from many-', '--json')).stdout) as OutputSearchView;
    expect(all.groups).toHaveLength(20);
    const agentIds = [...new Set(all.groups.map((g) => g.agentId))];
    const byId = JSON.parse((await mesoscope('logs', NAME, '--grep', 'hello from many-', '--agent', agentIds[0] as string, '--json')).stdout) as OutputSearchView;
    expect(byId.groups.length).toBe(all.groups.filter((g) => g.agentId === agentIds[0]).length);
    expect(new Set(byId.groups.map((g) => g.agentId))).toEqual(new Set([agentIds[0]]));
    const byName = await Promise.all(['agent-1', 'agent-2'].map(async (node) => JSON.parse((await mesoscope('logs', NAME, '--grep', 'hello from many-', '--agent', node, '--json')).stdout) as OutputSearchView));
    for (const view of byName) expect(new Set(view.groups.map((g) => g.agentId)).size).toBeLessThanOrEqual(1);
    expect(byName[0]!.groups.length + byName[1]!.groups.length).toBe(20);
    const nowhere = await mesoscope('logs', NAME, '--grep', 'hello', '--agent', 'agent-9');
    expect(nowhere.code, nowhere.stderr).toBe(0);
    expect(nowhere.stderr).toContain('not searched: no running agent agent-9 answered');
    const twoScopes = await mesoscope('logs', NAME, '--grep', 'hello', '--agent', 'agent-1', '--service', 'web');
    expect(twoScopes.code).toBe(2);
    expect(twoScopes.stderr).toContain('--agent and --service: search one scope at a time');

    // A service is resolved to its instances' task ids first; one the cluster does not have is refused.
    const noService = await mesoscope('logs', NAME, '--grep', 'hello', '--service', 'nope');
    expect(noService.code).toBe(4);
    expect(noService.stderr).toContain(`Cluster "${NAME}" has no service "nope".`);
  }, 300_000);
});

describe('export', () => {
  it('a bundle of a cluster with a failed task holds every part, redacts the PASSWORD everywhere, and replays with the same verdicts', async () => {
    const secret = `hunter2-${randomBytes(6).toString('hex')}`;
    // A short secret too (replaced by name only) and one the task prints (replaced as a value).
    const failed = await mesoscope('run', NAME, '--name', 'secret', '--image', TASK_IMAGE, '--env', `PASSWORD=${secret}`, '--env', 'API_TOKEN=x', '--env', 'GREETING=hi', '--', 'echo about to fail; echo "connecting with $PASSWORD"; exit 3');
    expect(failed.code, failed.stderr).toBe(5);
    const file = join(dir, 'bundle.tar.gz');
    const exported = await mesoscope('export', NAME, '-o', file, '--json');
    expect(exported.code, exported.stderr).toBe(0);

    const entries = await archiveEntries(file);
    const names = [...entries.keys()];
    const manifest = JSON.parse((entries.get('manifest.json') as Buffer).toString()) as BundleManifest;
    expect(manifest.parts.map((p) => p.path).sort()).toEqual(names.filter((n) => n !== 'manifest.json').sort());
    const expected = [
      'cluster/spec.json',
      'cluster/layout.json',
      'versions.json',
      'nodes/zookeeper/container.log',
      'nodes/zookeeper/inspect.json',
      'nodes/master-1/container.log',
      'nodes/master-1/inspect.json',
      'nodes/agent-1/container.log',
      'nodes/agent-2/inspect.json',
      'mesos/master-state.json',
      'mesos/master-metrics.json',
      'agents/agent-1/state.json',
      'agents/agent-1/flags.json',
      'agents/agent-2/metrics.json',
      'doctor/verdicts.json',
      'recording.mesorec',
    ];
    for (const part of expected) expect(names, part).toContain(part);
    // Without --log_dir the nodes write no Mesos log file: listed in MISSING.txt, with why.
    expect(manifest.missing.map((m) => m.path)).toEqual(expect.arrayContaining(['nodes/master-1/mesos.log', 'nodes/agent-1/mesos.log']));
    expect(entries.get('MISSING.txt')?.toString()).toContain('nodes/agent-1/mesos.log: agent-1 writes no Mesos log file (it runs without --log_dir)');
    const versions = JSON.parse((entries.get('versions.json') as Buffer).toString()) as { mesoscope: string; docker: { Version: string } };
    expect(versions.docker.Version).toMatch(/^\d+\./);

    const secretTask = names.find((n) => /^tasks\/secret-[^/]+\/stdout$/.test(n));
    expect(entries.get(secretTask as string)?.toString()).toBe('about to fail\nconnecting with <redacted>\n');
    const inspect = entries.get((secretTask as string).replace(/stdout$/, 'inspect.json'))?.toString() ?? '';
    expect(inspect).toContain('"PASSWORD=<redacted>"');
    expect(inspect).toContain('"API_TOKEN=<redacted>"');
    expect(inspect).toContain('"GREETING=hi"');
    // Every entry, recordings unpacked: neither secret is anywhere, by value or as NAME=value.
    const texts = [...entries].map(([name, content]) => [name, name.endsWith('.mesorec') ? gunzipSync(content).toString() : content.toString()] as const);
    for (const [name, text] of texts) {
      expect(text, name).not.toContain(secret);
      expect(text, name).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
      expect(text, name).not.toContain('API_TOKEN=x');
    }
    // …though the value was there to take out: by name in the container's Env, by value in what the task printed.
    const redactedIn = texts.filter(([, text]) => text.includes('<redacted>')).map(([name]) => name);
    expect(redactedIn).toEqual(expect.arrayContaining([secretTask, (secretTask as string).replace(/stdout$/, 'inspect.json')]));

    const live = await mesoscope('doctor', NAME, '--json');
    const replayed = await mesoscope('replay', file, '--json');
    expect(replayed.code, replayed.stderr).toBe(0);
    const verdicts = JSON.parse(live.stdout) as Record<string, { title: string }>;
    const failedKey = Object.keys(verdicts).find((k) => k.includes('/secret-'));
    expect(verdicts[failedKey as string]?.title).toBe('The command failed (exit 3)');
    const state = (JSON.parse(replayed.stdout) as { state: { verdicts: Record<string, { title: string }> } }).state;
    expect(Object.fromEntries(Object.entries(state.verdicts).map(([k, v]) => [k, v.title]))).toEqual(Object.fromEntries(Object.entries(verdicts).map(([k, v]) => [k, v.title])));
    expect(JSON.parse((entries.get('doctor/verdicts.json') as Buffer).toString())).toEqual(JSON.parse(live.stdout));

    // Its container read, the task's environment is not missing. Once the container is removed, Mesos
    // shows the environment nowhere: the bundle says so for that task, its output unredacted of it.
    const envEntry = (secretTask as string).replace(/stdout$/, 'environment');
    expect(manifest.missing.map((m) => m.path)).not.toContain(envEntry);
    const container = (JSON.parse(inspect) as { Name: string }).Name.replace(/^\//, '');
    await docker(['rm', '-f', container]);
    const again = join(dir, 'bundle-again.tar.gz');
    const reexported = await mesoscope('export', NAME, '-o', again, '--json');
    expect(reexported.code, reexported.stderr).toBe(0);
    const later = await archiveEntries(again);
    expect(later.get(secretTask as string)?.toString()).toContain('about to fail\n');
    expect(later.get('MISSING.txt')?.toString()).toContain(`${envEntry}: no Docker container to read it from`);
    expect(later.get('MISSING.txt')?.toString()).toContain('so its output is not redacted of them');
  }, 240_000);
});
