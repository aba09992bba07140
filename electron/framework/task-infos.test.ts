import { describe, expect, it } from 'vitest';
import { RunRequestSchema } from '@shared/runs/schemas';
import { taskId, taskInfo } from './task-infos';

const run = (input: object) => RunRequestSchema.parse({ cluster: 'c', name: 'web', ...input });

describe('a run as TaskInfos', () => {
  it('a Docker image with the shell: /bin/sh -c replaces the entrypoint; env and URIs in the CommandInfo', () => {
    const info = taskInfo(run({ image: 'busybox:1.36', command: 'echo $A', env: { A: 'b' }, uris: [{ value: 'http://127.0.0.1:1/x/run.sh', executable: true }], cpus: 0.5, mem: 64 }), 'web-1', 'r1', 'S0');
    expect(info).toEqual({
      name: 'web',
      task_id: { value: 'web-1' },
      agent_id: { value: 'S0' },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
      ],
      command: { environment: { variables: [{ name: 'A', value: 'b' }] }, uris: [{ value: 'http://127.0.0.1:1/x/run.sh', executable: true, extract: true }], shell: true, value: 'echo $A' },
      container: { type: 'DOCKER', docker: { image: 'busybox:1.36', network: 'HOST', force_pull_image: false } },
      labels: { labels: [{ key: 'io.mesoscope.run', value: 'r1' }] },
    });
  });

  it("the image's entrypoint: shell false, the lines as arguments", () => {
    expect(taskInfo(run({ image: 'nginx', entrypoint: 'image', command: '-g\n daemon off;\n\n' }), 't', 'r', 'S0').command).toEqual({ shell: false, arguments: ['-g', 'daemon off;'] });
    expect(taskInfo(run({ image: 'nginx', entrypoint: 'image' }), 't', 'r', 'S0').command).toEqual({ shell: false });
  });

  it('no image: a plain command for the Mesos containerizer', () => {
    const info = taskInfo(run({ command: 'sleep 1' }), 't', 'r', 'S0');
    expect(info.container).toBeUndefined();
    expect(info.command).toEqual({ shell: true, value: 'sleep 1' });
  });

  it('task ids: one instance keeps the run id, several are numbered', () => {
    expect([taskId('web', 'ab12', 1, 1), taskId('web', 'ab12', 2, 3)]).toEqual(['web-ab12', 'web-ab12-2']);
  });

  it('refuses what Mesos would refuse, naming the field', () => {
    const r = RunRequestSchema.safeParse({ cluster: 'c', name: 'web', command: 'x', cpus: 0, instances: 51, env: { '1A': 'x' } });
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'cpus: must be > 0',
      'instances: must be <= 50',
      'env.1A: environment names are letters, digits and _, not starting with a digit',
    ]);
    const entrypoint = RunRequestSchema.safeParse({ cluster: 'c', name: 'web', entrypoint: 'image', command: 'x' });
    expect(entrypoint.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(["entrypoint: the image's entrypoint needs a Docker image"]);
  });
});
