import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTour, TOUR_FILES, tours } from '@shared/tours';

describe('tour files', () => {
  it('ships every file of shared/tours/data, each valid, with its file name as its id', () => {
    const onDisk = readdirSync(join(__dirname, '..', '..', 'shared', 'tours', 'data')).sort();
    expect(Object.keys(TOUR_FILES).sort()).toEqual(onDisk);
    for (const tour of tours()) expect(`${tour.id}.json`).toBe(Object.keys(TOUR_FILES).find((f) => f === `${tour.id}.json`));
    expect(tours().map((t) => t.title)).toEqual(['When an agent dies', 'Offers and frameworks', 'Leader failover', 'Docker on Mesos']);
  });

  it('refuses a tour that points at a task no scene started, naming the file and field', () => {
    const bad = {
      id: 'bad',
      title: 'Bad',
      summary: 'x',
      cluster: { agents: 1 },
      scenes: [
        { title: 'a', narration: 'n', action: { do: 'launch' } },
        { title: 'b', narration: 'n', highlight: { tab: 'tasks', task: 'ghost' } },
      ],
    };
    expect(() => parseTour('bad.json', bad)).toThrow('bad.json: scenes[1].highlight.task: no earlier scene starts a task named "ghost"');
  });

  it('refuses an unknown action, an agent the cluster lacks, stop-leader without 3 masters, and a first scene that does not launch', () => {
    const base = { id: 'x', title: 'X', summary: 'x', cluster: { agents: 2 } };
    expect(() => parseTour('x.json', { ...base, scenes: [{ title: 'a', narration: 'n', action: { do: 'dance' } }] })).toThrow(/scenes\[0\]\.action\.do/);
    expect(() =>
      parseTour('x.json', { ...base, scenes: [{ title: 'a', narration: 'n', action: { do: 'launch' } }, { title: 'b', narration: 'n', action: { do: 'fault', as: 't', fault: 'stop-agent', agent: 3 } }] }),
    ).toThrow("scenes[1].action.agent: the tour's cluster has 2 agents");
    expect(() =>
      parseTour('x.json', { ...base, scenes: [{ title: 'a', narration: 'n', action: { do: 'launch' } }, { title: 'b', narration: 'n', action: { do: 'fault', as: 't', fault: 'stop-leader' } }] }),
    ).toThrow('scenes[1].action.fault: stop-leader needs 3 masters');
    expect(() => parseTour('x.json', { ...base, scenes: [{ title: 'a', narration: 'n' }] })).toThrow('scenes[0].action: the first scene launches the cluster');
    expect(() => parseTour('x.json', { ...base, extra: 1, scenes: [{ title: 'a', narration: 'n', action: { do: 'launch' } }] })).toThrow('extra: is not a field here');
  });

  it('refuses service scenes that name a service no earlier scene creates, an instance it lacks, or a relaunch without a kill', () => {
    const base = { id: 'x', title: 'X', summary: 'x', cluster: { agents: 2 } };
    const launch = { title: 'a', narration: 'n', action: { do: 'launch' } };
    const web = { title: 'b', narration: 'n', action: { do: 'service', as: 'web', image: 'redis:7', instances: 2, ports: [{ containerPort: 6379 }] } };
    const scenes = (...more: object[]) => ({ ...base, scenes: [launch, ...more] });
    expect(() => parseTour('x.json', scenes({ title: 'c', narration: 'n', action: { do: 'kill-instance', service: 'web', instance: 1 } }))).toThrow(
      'x.json: scenes[1].action.service: no earlier scene creates a service named "web"',
    );
    expect(() => parseTour('x.json', scenes(web, { title: 'c', narration: 'n', action: { do: 'kill-instance', service: 'web', instance: 3 } }))).toThrow(
      'scenes[2].action.instance: the service "web" has 2 instances',
    );
    expect(() => parseTour('x.json', scenes(web, { title: 'c', narration: 'n', action: { do: 'launch' }, expect: { see: 'service-relaunched', service: 'web' } }))).toThrow(
      'scenes[2].expect.service: no earlier scene kills an instance of "web"',
    );
    expect(() => parseTour('x.json', scenes({ ...web, expect: { see: 'service-running', service: 'db' } }))).toThrow('scenes[1].expect.service: no earlier scene creates a service named "db"');
    expect(() => parseTour('x.json', scenes({ ...web, action: { ...web.action, image: 'Not An Image!' } }))).toThrow(/scenes\[1\]\.action\.image/);
    expect(() => parseTour('x.json', scenes({ ...web, action: { ...web.action, ports: [] } }))).toThrow(/scenes\[1\]\.action\.ports/);
    const ok = parseTour('x.json', scenes({ ...web, expect: { see: 'service-running', service: 'web' }, highlight: { tab: 'endpoints' } }));
    expect(ok.scenes[1]?.expect).toEqual({ see: 'service-running', service: 'web', withinSecs: 90 });
  });
});
