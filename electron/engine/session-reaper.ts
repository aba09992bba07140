import type Dockerode from 'dockerode';
import { validateSpec } from '@shared/cluster/spec';
import { daemonHost } from '../docker/daemon-host';
import { daemonSocket } from '../docker/daemon-socket';
import { ensureImage, imagePresent } from './images';
import { PreflightError } from './preflight';
import { type Reaper, startReaper } from './reaper';
import { checkWorkRoot, workRootFor } from './work-root';

export interface SessionReaperOptions {
  /** The endpoint the client was made for (its socket path is one candidate for the daemon's own). */
  endpointUrl: string;
  workRoot?: string;
  /** false: no reaper. Otherwise the image it runs in (default: the spec's agent image) and its grace period. */
  reaper?: false | { image?: string; graceMs?: number };
}

/** One reaper per process, endpoint, work root and image: every cluster of the session shares it. */
const reapers = new Map<string, Promise<Reaper>>();

/**
 * What startCluster needs to make a launch crash-safe: the work root (the reaper removes work dirs
 * under it) and the labels that put what the engine creates in this process's reaper session.
 */
export async function sessionFor(docker: Dockerode, spec: unknown, options: SessionReaperOptions): Promise<{ workRoot: string; labels?: Record<string, string> }> {
  let workRoot: string;
  try {
    workRoot = options.workRoot ?? workRootFor(await daemonHost(docker));
  } catch (err) {
    throw new PreflightError(`Docker is not reachable: ${(err as Error).message}. Start Docker or check the endpoint.`);
  }
  checkWorkRoot(workRoot);
  const validation = validateSpec(spec);
  // A spec the engine will refuse creates nothing: no reaper needed.
  if (options.reaper === false || !validation.ok) return { workRoot };
  const chosen = options.reaper ?? {};
  const image = chosen.image ?? validation.spec.images.agent;
  // Nor does a launch whose agent image is missing and may not be pulled: preflight refuses it.
  if (!chosen.image && validation.spec.pullPolicy === 'never' && !(await imagePresent(docker, image))) return { workRoot };
  const key = `${options.endpointUrl}|${workRoot}|${image}`;
  let reaper = reapers.get(key);
  if (!reaper) {
    reaper = (async () => {
      // The launch pulls again under its own policy; the reaper only needs the image present.
      await ensureImage(docker, image, 'if-missing');
      const socket = await daemonSocket(docker, options.endpointUrl, image);
      return startReaper(docker, { image, daemonSocket: socket.path, workRoot, graceMs: chosen.graceMs });
    })();
    reapers.set(key, reaper);
    reaper.catch(() => reapers.delete(key));
  }
  return { workRoot, labels: (await reaper).labels };
}
