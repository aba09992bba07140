import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningCluster, startCluster } from 'mesoscope';

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({
    name: `example-${process.pid}`,
    agents: { count: 2 },
    // Agents are lost after 3 missed pings of 1 s (Mesos' default: 5 of 15 s).
    timers: { agentPingTimeout: '1secs', maxAgentPingTimeouts: 3 },
    // The repository's test images (npm run images); leave `images` out to run real Mesos.
    images: { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' },
    pullPolicy: 'never',
  });
}, 120_000);

afterAll(async () => {
  const report = await cluster?.destroy();
  expect(report?.leftovers).toEqual([]);
});

it('runs tasks, reads their output and asks the doctor why one failed', async () => {
  const hello = await cluster.run({ command: 'echo hello' });
  expect(hello.state).toBe('TASK_FINISHED');
  expect(await cluster.logs(hello.id)).toBe('hello\n');

  const failed = await cluster.run({ command: 'exit 3' });
  expect(failed.state).toBe('TASK_FAILED');
  expect(failed.status?.message).toBe('Command exited with status 3');
  const diagnosis = await cluster.diagnose(failed.id);
  expect(diagnosis.kind === 'diagnosed' && diagnosis.title).toBe('The command failed (exit 3)');
}, 60_000);

it('kills a task, and pauses an agent to see its task lost', async () => {
  const long = await cluster.run({ command: 'sleep 600' }, { until: 'TASK_RUNNING' });
  await cluster.kill(long.id);
  await cluster.waitForTask(long.id, 'TASK_KILLED', 30_000);

  const fault = await cluster.fault('pause-agent', { agent: 2, taskImage: 'mesoscope/task-base:test' });
  expect(fault.injection.expectation.final?.state).toBe('TASK_LOST');
  const outcome = await fault.outcome();
  expect(outcome.verdict).toBe('as-expected');
  await fault.undo();
  expect((await cluster.agents()).map((agent) => agent.mesos)).toEqual(['active', 'active']);
}, 90_000);
