import { expect, it } from 'vitest';
import { endpointsOf } from '@shared/services/schemas';
import { MESOS_KIND } from '../../testbed/real-mesos/images';
import { tourTestApp } from './tour-test-app';

// "Docker on Mesos" end to end through the API as the app drives it (tours.*), each scene's outcome
// asserted against the services API itself: two healthy Redis instances with their endpoints, instance 1
// killed, relaunched in its slot as a new task on another endpoint. The Redis test image stands in for
// redis:7 (tours.start serviceImage), as in e2e/services.spec.ts.
const CLUSTER = `tour-docker-${process.pid}`;
const REDIS_IMAGE = 'mesoscope/redis:test';
const app = tourTestApp(CLUSTER);

const addresses = async () => {
  const endpoints = endpointsOf(await app.api.call('services.list', { cluster: CLUSTER }));
  expect(endpoints.map((e) => [e.service, e.port])).toEqual([['redis', 'redis']]);
  return new Map(endpoints[0]?.endpoints.map((e) => [e.slot, { address: `${e.host}:${e.port}`, taskId: e.taskId, healthy: e.healthy }]));
};

it(`runs "Docker on Mesos" scene by scene on ${MESOS_KIND}: a service of two, its endpoints, a kill and the relaunch`, async () => {
  let state = await app.api.call('tours.start', { tour: 'docker-on-mesos', cluster: CLUSTER, serviceImage: REDIS_IMAGE });
  expect(state).toMatchObject({ active: true, index: 0, count: 5, cluster: CLUSTER });

  state = await app.api.call('tours.act', {});
  expect(state.result, state.result?.message).toMatchObject({ phase: 'landed', message: 'The cluster is up: 2 agents active.' });
  expect(state.highlight).toEqual({ tab: 'nodes' });

  // Scene 2: the service; the outcome names both endpoints, which are the services API's own.
  state = await app.api.call('tours.go', { to: 'next' });
  expect(state.scene?.action).toMatchObject({ do: 'service', as: 'redis', image: 'redis:7', instances: 2 });
  state = await app.api.call('tours.act', {});
  expect(state.result?.phase, state.result?.message).toBe('landed');
  const before = await addresses();
  expect([...before.keys()].sort()).toEqual([1, 2]);
  for (const e of before.values()) expect(e.healthy).toBe(true);
  expect(state.result?.message).toBe(`redis: 2 of 2 instances running and healthy (TCP check), at ${before.get(1)?.address}, ${before.get(2)?.address}.`);
  expect(state.highlight).toEqual({ tab: 'services' });
  const service = (await app.api.call('services.list', { cluster: CLUSTER })).services[0];
  expect(service?.spec).toMatchObject({ id: 'redis', image: REDIS_IMAGE, network: 'BRIDGE', ports: [{ containerPort: 6379 }], healthCheck: { type: 'TCP' } });

  // Scene 3 only talks: no action, lands at once, points at Endpoints.
  expect((await app.api.call('tours.go', { to: 'next' })).index).toBe(2);
  state = await app.api.call('tours.act', {});
  expect(state.result).toMatchObject({ phase: 'landed' });
  expect(state.highlight).toEqual({ tab: 'endpoints' });

  // Scene 4: instance 1 killed; it comes back in slot 1 as another task on another endpoint.
  expect((await app.api.call('tours.go', { to: 'next' })).scene?.action).toEqual({ do: 'kill-instance', service: 'redis', instance: 1 });
  state = await app.api.call('tours.act', {});
  expect(state.result?.phase, state.result?.message).toBe('landed');
  const after = await addresses();
  const [was, now] = [before.get(1), after.get(1)];
  expect(now?.taskId).not.toBe(was?.taskId);
  expect(now?.address).not.toBe(was?.address);
  expect(after.get(2)).toEqual(before.get(2));
  expect(state.result?.message).toBe(`Instance 1 of redis relaunched as ${now?.taskId}: ${was?.address} → ${now?.address}.`);
  const history = (await app.api.call('services.list', { cluster: CLUSTER })).services[0]?.history ?? [];
  expect(history.some((h) => h.kind === 'ended' && h.taskId === was?.taskId && h.state === 'TASK_KILLED')).toBe(true);
  expect(history.some((h) => h.kind === 'relaunch' && h.slot === 1)).toBe(true);

  expect((await app.api.call('tours.go', { to: 'next' })).index).toBe(4);
  state = await app.api.call('tours.act', {});
  expect(state.result).toMatchObject({ phase: 'landed' });
  expect(state.highlight).toEqual({ tab: 'endpoints' });
  await expect(app.api.call('tours.go', { to: 'next' })).rejects.toThrow('This is the last scene: restart or end the tour.');

  // Restart removes the cluster the tour launched.
  state = await app.api.call('tours.go', { to: 'restart' });
  expect(state.results).toEqual([null, null, null, null, null]);
  expect((await app.api.call('clusters.list', {})).some((c) => c.name === CLUSTER)).toBe(false);
  state = await app.api.call('tours.end', { destroy: true });
  expect(state.active).toBe(false);
}, 180_000);
