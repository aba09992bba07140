import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import { TEST_IMAGES } from '../../testbed/real-mesos/images';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';

/**
 * For tour integration tests: an app of its own (settings with the testbed's images, its own work root)
 * driven through the in-process API as the UI drives it; at the end the tour is ended and its cluster removed.
 */
export function tourTestApp(cluster: string): { readonly api: MesoscopeClient } {
  let dir: string;
  let core: Core | undefined;
  const app = {} as { api: MesoscopeClient };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesoscope-tour-'));
    await mkdir(join(dir, 'config'));
    await writeFile(join(dir, 'config', 'settings.json'), JSON.stringify({ defaultImages: TEST_IMAGES }));
    core = await createCore({ env: { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') } });
    app.api = createClient(createInProcessTransport(core.dispatcher));
  });

  afterAll(async () => {
    const api = app.api as MesoscopeClient | undefined;
    await api?.call('tours.end', { destroy: true }).catch(() => undefined);
    if ((await api?.call('clusters.list', {}).catch(() => []))?.some((c) => c.name === cluster)) await api?.call('clusters.destroy', { name: cluster });
    await core?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  return app;
}
