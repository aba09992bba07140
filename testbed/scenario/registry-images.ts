// Images of the loopback registry (127.0.0.1:5000, testbed/images/registry.sh) that fault
// scenarios need beyond the seeded task-base: a large image whose pull outlasts a 2 s
// executor_registration_timeout (docs/mesos/faults.md row 13). Its one layer is random bytes, so no layer
// of any local image can satisfy the pull; it is built and pushed once, and its local copy
// removed before each use so the pull is real.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { docker } from './launcher';

export const REGISTRY = '127.0.0.1:5000';
export const SLOW_PULL_IMAGE = `${REGISTRY}/mesoscope/slow-pull:test`;
/** 512 MB pulled in ~4 s on the 2-core machines measured (300 MB took 2.3 s: too close to 2 s). */
const SLOW_PULL_MB = 512;

async function registryGet(p: string, method = 'GET'): Promise<number> {
  try {
    const r = await fetch(`http://${REGISTRY}${p}`, {
      method,
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      signal: AbortSignal.timeout(3000),
    });
    return r.status;
  } catch {
    return 0;
  }
}

export async function registryUp(): Promise<boolean> {
  return (await registryGet('/v2/')) === 200;
}

async function localImage(ref: string): Promise<boolean> {
  return docker(['image', 'inspect', '--format', '{{.Id}}', ref], 20_000).then(
    () => true,
    () => false,
  );
}

/** Pushes the slow-pull image when the registry lacks it, and makes sure no local copy is left. */
export async function prepareSlowPullImage(): Promise<string> {
  if ((await registryGet('/v2/mesoscope/slow-pull/manifests/test', 'HEAD')) !== 200) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesoscope-slow-pull-'));
    try {
      const fd = fs.openSync(path.join(dir, 'blob'), 'w');
      const chunk = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < SLOW_PULL_MB; i++) fs.writeSync(fd, crypto.randomFillSync(chunk));
      fs.closeSync(fd);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY blob /blob\n');
      await docker(['build', '-q', '-t', SLOW_PULL_IMAGE, dir], 300_000);
      await docker(['push', SLOW_PULL_IMAGE], 300_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  await dropLocal(SLOW_PULL_IMAGE);
  return SLOW_PULL_IMAGE;
}

export async function dropLocal(ref: string): Promise<void> {
  if (await localImage(ref)) await docker(['rmi', '-f', ref], 60_000).catch(() => undefined);
}
