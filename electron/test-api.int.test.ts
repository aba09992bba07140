import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError, type RunningCluster, startCluster } from 'mesoscope';

// The test API beyond the README's example: agents' node actions, an agent added and removed, a
// recording, stderr, waiting for a state a task never reaches, and the errors a test gets for bad input.

let cluster: RunningCluster;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-test-api-'));
  cluster = await startCluster(
    {
      name: `api-more-${process.pid % 100_000}`,
      agents: { count: 2 },
      masters: { flags: { allocation_interval: '250ms' } },
      timers: { agentPingTimeout: '1secs', maxAgentPingTimeouts: 3 },
      images: { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' },
      pullPolicy: 'never',
    },
    { workRoot: join(dir, 'work') },
  );
}, 120_000);

afterAll(async () => {
  const report = await cluster?.destroy();
  expect(report?.leftovers).toEqual([]);
  await rm(dir, { recursive: true, force: true });
}, 60_000);

it('drives agents: stop and start one, add one with its own resources, remove it', async () => {
  const [first, second] = await cluster.agents();
  expect([first?.node, second?.node]).toEqual([`mesoscope-${cluster.name}-agent-1`, `mesoscope-${cluster.name}-agent-2`]);
  expect(first?.agentId).toMatch(/-S\d+$/);

  const pinned = await cluster.run({ command: 'sleep 600', agentId: second!.agentId }, { until: 'TASK_RUNNING' });
  await second!.stop();
  // Checkpointing framework, agent gone: LOST after the pings (3 × 1 s).
  const lost = await cluster.waitForTask(pinned.id, 'TASK_LOST', 30_000);
  expect(lost.status).toMatchObject({ reason: 'REASON_AGENT_REMOVED', message: 'health check timed out' });
  expect((await cluster.agents())[1]?.container).toBe('exited');
  await second!.start();
  await cluster.waitForTask(pinned.id, 'TASK_FAILED', 60_000);

  await first!.pause();
  expect((await cluster.agents())[0]?.container).toBe('paused');
  await first!.unpause();
  expect((await cluster.agents())[0]?.container).toBe('running');

  const added = await cluster.addAgent({ resources: { cpus: 3, mem: 512, disk: 1024 } });
  expect(added).toMatchObject({ index: 3, container: 'running', mesos: 'active' });
  const big = await cluster.run({ command: 'echo big', cpus: 2.5 });
  expect(big).toMatchObject({ state: 'TASK_FINISHED', agentId: added.agentId });
  expect((await cluster.tasks()).map((t) => [t.id, t.state])).toEqual([
    [pinned.id, 'TASK_FAILED'],
    [big.id, 'TASK_FINISHED'],
  ]);
  await added.remove();
  expect((await cluster.agents()).map((a) => a.index)).toEqual([1, 2]);
}, 180_000);

it('records the cluster into a file', async () => {
  const file = join(dir, 'it.mesorec');
  const recording = await cluster.record(file);
  expect(recording.path).toBe(file);
  await cluster.run({ command: 'echo recorded' });
  const saved = await recording.stop();
  expect(saved).toMatchObject({ path: file, cluster: cluster.name });
  expect(saved.entries).toBeGreaterThan(1);
  expect((await stat(file)).size).toBe(saved.bytes);
}, 60_000);

it('reads stderr, and says clearly what went wrong', async () => {
  const noisy = await cluster.run({ command: 'echo oops >&2; exit 1' });
  expect(await cluster.logs(noisy.id, { stream: 'stderr' })).toContain('oops\n');

  // Ends FAILED, never RUNNING for long: waiting for FINISHED rejects at once, naming how it ended.
  const failing = await cluster.run({ command: 'exit 4' }, { until: 'TASK_STARTING' });
  await expect(cluster.waitForTask(failing.id, 'TASK_FINISHED', 30_000)).rejects.toThrow(/ended TASK_FAILED before reaching TASK_FINISHED/);
  await expect(cluster.waitForTask(failing.id, 'TASK_KILLED', 30_000)).rejects.toBeInstanceOf(ApiError);

  await expect(cluster.kill('no-such-task')).rejects.toMatchObject({ code: 'not-found' });
  await expect(cluster.diagnose('no-such-task')).rejects.toMatchObject({ code: 'not-found' });
  await expect(cluster.run({ command: '' })).rejects.toMatchObject({ code: 'invalid-input' });
  await expect(cluster.run({ command: 'true', cpus: -1 })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('cpus') });
  await expect(cluster.fault('stop-leader')).rejects.toMatchObject({ code: 'refused' });
  await expect(startCluster({ name: cluster.name, pullPolicy: 'never' })).rejects.toMatchObject({ code: 'refused' });
}, 120_000);
