import { expect, it } from 'vitest';
import type { TourState } from '@shared/contract/tours';
import { tourTestApp } from './tour-test-app';

// "Offers and frameworks" through the API as the app drives it (tours.*), on the testbed's images:
// each scene's outcome, the refusals of next / back at the ends, back keeping a scene's result,
// the scenes marked in a recording of the tour's cluster, and restart removing the cluster.
const CLUSTER = `tour-it-${process.pid}`;
const app = tourTestApp(CLUSTER);

it('runs "Offers and frameworks" scene by scene, marks each scene in a recording, and restarts from a clean slate', async () => {
  const states: TourState[] = [];
  const stop = app.api.subscribe('tours.state', {}, (s) => states.push(s));
  await expect(app.api.call('tours.start', { tour: 'no-such-tour' })).rejects.toThrow('No tour named "no-such-tour" (there are: agent-dies, offers-and-frameworks, leader-failover, docker-on-mesos).');

  let state = await app.api.call('tours.start', { tour: 'offers-and-frameworks', cluster: CLUSTER });
  expect(state).toMatchObject({ active: true, index: 0, count: 4, cluster: CLUSTER, results: [null, null, null, null] });
  await expect(app.api.call('tours.go', { to: 'back' })).rejects.toThrow('This is the first scene.');

  state = await app.api.call('tours.act', {});
  expect(state.result).toMatchObject({ phase: 'landed', message: 'The cluster is up: 2 agents active.' });
  expect(state.highlight).toEqual({ tab: 'overview' });
  await app.api.call('recordings.start', { cluster: CLUSTER });

  const want = [/^All 2 tasks are TASK_RUNNING\.$/, /^2 frameworks are subscribed, sharing the agents\.$/, /^An offer declined: .*refuse filter \d+ s\.$/];
  for (const message of want) {
    state = await app.api.call('tours.go', { to: 'next' });
    state = await app.api.call('tours.act', {});
    expect(state.result?.phase, state.result?.message).toBe('landed');
    expect(state.result?.message).toMatch(message);
  }
  expect(state.highlight).toEqual({ tab: 'offers' });
  await expect(app.api.call('tours.go', { to: 'next' })).rejects.toThrow('This is the last scene: restart or end the tour.');

  // Back shows the scene as it went (nothing is undone): its result, and the row it points at.
  state = await app.api.call('tours.go', { to: 'back' });
  state = await app.api.call('tours.go', { to: 'back' });
  expect(state.index).toBe(1);
  expect(state.result?.phase).toBe('landed');
  expect(state.highlight?.tab).toBe('tasks');
  expect(state.highlight?.taskKey).toMatch(/\/first-/);
  const view = (await app.api.call('mesos.state', { cluster: CLUSTER })) as { frameworks: Array<{ tasks: Array<{ id: string; state: string }> }> };
  expect(view.frameworks.flatMap((f) => f.tasks).find((t) => t.id === state.highlight?.taskId)?.state).toBe('TASK_RUNNING');

  // The recording holds a mark per scene acted while it ran.
  const saved = await app.api.call('recordings.stop', { cluster: CLUSTER });
  const opened = await app.api.call('recordings.open', { path: saved.path });
  expect(opened.marks.map((m) => m.label)).toEqual(expect.arrayContaining(['Tour: Offers and frameworks, scene 2', 'Tour: Offers and frameworks, scene 3', 'Tour: Offers and frameworks, scene 4']));
  await app.api.call('recordings.close', { id: opened.id });

  // Restart removes the cluster this run launched and goes back to a first scene not yet acted.
  state = await app.api.call('tours.go', { to: 'restart' });
  expect(state).toMatchObject({ index: 0, results: [null, null, null, null] });
  expect((await app.api.call('clusters.list', {})).some((c) => c.name === CLUSTER)).toBe(false);
  state = await app.api.call('tours.end', { destroy: true });
  expect(state.active).toBe(false);
  // Every change reached the subscribers (the presenter's app, the viewers).
  expect(states.some((s) => s.result?.phase === 'waiting')).toBe(true);
  expect(states.at(-1)?.active).toBe(false);
  stop();
}, 300_000);
