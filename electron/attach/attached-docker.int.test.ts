import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import { type ApiError } from '@shared/errors';
import { MESOS_KIND, MESOS_TEST_IMAGE } from '../../testbed/real-mesos/images';
import { PLAIN_PRINCIPAL, PLAIN_SECRET, startPlainCluster, type PlainCluster } from '../../testbed/attach/plain-cluster';
import { mesoscopeCli } from '../../testbed/support/mesoscope-cli';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { ClusterSession } from '../scripting/cluster-session';
import { refusal } from '../api/refusal.test-support';

// Docker evidence on an attached cluster, from the Docker endpoint the user names for its agents: the
// plain-script cluster's agents (--docker) run DOCKER tasks on this host's daemon, so
// unix:///var/run/docker.sock is their honest endpoint; a closed tcp port is an endpoint that does not answer.

const TASK_IMAGE = 'mesoscope/task-base:test';
let dir: string;
let core: Core;
let api: MesoscopeClient;
let plain: PlainCluster;
const name = `dock-${process.pid}`;
const auth = { kind: 'basic', username: PLAIN_PRINCIPAL, password: PLAIN_SECRET } as const;

/** A port on 127.0.0.1 nothing listens on (found free, then closed). */
const closedPort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });


beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-attach-docker-'));
  core = await createCore({ env: { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') } });
  api = createClient(createInProcessTransport(core.dispatcher));
  plain = await startPlainCluster(name, MESOS_TEST_IMAGE, { docker: true });
}, 150_000);

afterAll(async () => {
  await core?.dispose();
  await plain?.down();
  await rm(dir, { recursive: true, force: true });
});

describe(`Docker evidence on an attached cluster through a named endpoint, on ${MESOS_KIND}`, () => {
  it('refuses a hostile endpoint naming the field, and saves nothing', async () => {
    const bad = await refusal(
      api.call('attach.add', { connection: { name, masters: plain.masters, auth, dockerEndpoints: [{ agent: '*', url: 'ssh://-oProxyCommand=touch@host' }] } }),
    );
    expect(bad.code).toBe('invalid-input');
    expect(bad.message).toMatch(/dockerEndpoints\.0\.url: .*not a Docker endpoint: ssh:\/\/user@host/);
    expect(await api.call('attach.list', {})).toEqual([]);
  });

  it('with unix:///var/run/docker.sock: a DOCKER task that exits non-zero is diagnosed with its container\'s die event', async () => {
    // A plain cluster needs a moment to elect its leader: the first attempts may find none yet.
    const connection = { name, masters: plain.masters, auth, writes: true, dockerEndpoints: [{ agent: '127.0.0.1', url: 'unix:///var/run/docker.sock' }] };
    let attached: Awaited<ReturnType<typeof api.call<'attach.add'>>> | undefined;
    for (let i = 0; i < 40 && !attached; i++) {
      attached = await api.call('attach.add', { connection }).catch(async (err: ApiError) => {
        if ((err.detail as { reason?: string } | undefined)?.reason !== 'no-leader') throw err;
        await new Promise((r) => setTimeout(r, 500));
        return undefined;
      });
    }
    expect(attached?.dockerEndpoints).toEqual([{ agent: '127.0.0.1', url: 'unix:///var/run/docker.sock' }]);
    const settings = await readFile(join(dir, 'config', 'settings.json'), 'utf8');
    expect(settings).toContain('unix:///var/run/docker.sock');
    const session = new ClusterSession(api, name);
    try {
      await session.live.until('both agents', (v) => (v && Object.keys(v.agents).length === 2 ? v : undefined), 60_000);
      // The agents are looked up again every 15 s: both are followed on the endpoint before a task starts.
      let status = await api.call('attach.docker', { name });
      for (let i = 0; i < 100 && status[0]?.agents.length !== 2; i++) {
        await new Promise((r) => setTimeout(r, 400));
        status = await api.call('attach.docker', { name });
      }
      expect(status).toEqual([expect.objectContaining({ url: 'unix:///var/run/docker.sock', agents: [1, 2], state: 'following', problems: [] })]);
      const failed = await session.run({ image: TASK_IMAGE, command: 'exit 7' }, { timeoutMs: 120_000 });
      expect(failed.state).toBe('TASK_FAILED');
      // The die event arrives on the daemon's stream beside the task's status: give it a moment.
      let diagnosis = await session.diagnose(failed.key);
      for (let i = 0; i < 40 && !(diagnosis.kind === 'diagnosed' && diagnosis.timeline.some((e) => e.source === 'task-container')); i++) {
        await new Promise((r) => setTimeout(r, 250));
        diagnosis = await session.diagnose(failed.key);
      }
      expect(diagnosis.kind).toBe('diagnosed');
      const dockerItems = diagnosis.kind === 'diagnosed' ? diagnosis.timeline.filter((e) => e.source === 'task-container') : [];
      expect(dockerItems.length, JSON.stringify(diagnosis)).toBeGreaterThan(0);
      const die = dockerItems.find((e) => e.docker?.action === 'die');
      expect(die?.docker, JSON.stringify(dockerItems)).toMatchObject({ role: 'task', exitCode: 7, oomKilled: false });
      expect(die?.docker?.agentIndex).toBeGreaterThanOrEqual(1);
      expect(die?.title).toMatch(/exit 7/);
      expect(diagnosis.kind === 'diagnosed' && diagnosis.evidenceGaps).toBeFalsy();

      // The same cluster under a second name, its agents' Docker endpoint a closed port: said in words, nothing crashes.
      const port = await closedPort();
      const other = `${name}-closed`;
      await api.call('attach.add', { connection: { ...connection, name: other, writes: false, dockerEndpoints: [{ agent: '*', url: `tcp://127.0.0.1:${port}` }] } });
      const otherSession = new ClusterSession(api, other);
      try {
        await otherSession.live.until('the failed task', (v) => v?.tasks[failed.key], 60_000);
        let words = await api.call('attach.docker', { name: other });
        for (let i = 0; i < 80 && words[0]?.state !== 'unreachable'; i++) {
          await new Promise((r) => setTimeout(r, 250));
          words = await api.call('attach.docker', { name: other });
        }
        expect(words).toEqual([expect.objectContaining({ url: `tcp://127.0.0.1:${port}`, state: 'unreachable' })]);
        expect(words[0]!.message).toMatch(new RegExp(`Docker endpoint tcp://127\\.0\\.0\\.1:${port} \\(for agent 1 \\(127\\.0\\.0\\.1\\), agent 2 \\(127\\.0\\.0\\.1\\)\\) does not answer: .*ECONNREFUSED`));
        const seenFromThere = await otherSession.diagnose(failed.key);
        expect(seenFromThere.kind).toBe('diagnosed');
        expect(seenFromThere.kind !== 'none' && seenFromThere.evidenceGaps).toEqual([words[0]!.message]);
      } finally {
        otherSession.close();
      }
    } finally {
      session.close();
    }
  }, 300_000);

  it('mesoscope attach --docker HOST=URL: saved and listed; a hostile value is a usage error naming the field', async () => {
    const env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'cli-config') };
    const cli = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 60_000 });
    await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'right.txt'), `${PLAIN_SECRET}\n`));
    const base = ['attach', `${name}-cli`, '--master', plain.masters[0]!, '--user', PLAIN_PRINCIPAL, '--password-file', join(dir, 'right.txt')];
    const hostile = await cli(...base, '--docker', '*=tcp://127.0.0.1:2375 -H evil');
    expect(hostile.code).not.toBe(0);
    expect(hostile.stderr).toMatch(/dockerEndpoints\.0\.url: .*no spaces/);
    const noEq = await cli(...base, '--docker', 'unix:///var/run/docker.sock');
    expect(noEq.code).toBe(2);
    expect(noEq.stderr).toMatch(/--docker takes HOST=URL/);
    const ok = await cli(...base, '--docker', '127.0.0.1=unix:///var/run/docker.sock', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ dockerEndpoints: [{ agent: '127.0.0.1', url: 'unix:///var/run/docker.sock' }] });
    expect((await cli('detach', `${name}-cli`)).code).toBe(0);
  }, 120_000);
});
