import type Dockerode from 'dockerode';
import type { ClusterSpec } from '@shared/cluster/spec';
import { imagePresent, type PullPolicy } from './images';
import { LABEL } from './naming';

/** A launch refused before anything was created; the message names the cause. */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}

/**
 * Everything that can be checked before creating anything: Docker answers, the name is free, every
 * image is present or can be pulled under the pull policy.
 */
export async function preflight(docker: Dockerode, spec: ClusterSpec): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    throw new PreflightError(`Docker is not reachable: ${(err as Error).message}. Start Docker or check the endpoint in Settings.`);
  }

  const clash = await docker.listContainers({ all: true, filters: { label: [`${LABEL.cluster}=${spec.name}`] } });
  if (clash.length > 0) {
    throw new PreflightError(`name: a cluster named "${spec.name}" already exists; destroy it or choose another name.`);
  }
  // A container of someone else's that has one of the names this cluster's nodes will take.
  const taken = await docker.listContainers({ all: true, filters: { name: [`^/mesoscope-${spec.name}-(zookeeper|master|agent)-[0-9]+$`] } });
  if (taken.length > 0) {
    const names = taken.map((c) => c.Names[0]?.replace(/^\//, '')).join(', ');
    throw new PreflightError(`name: containers named ${names} exist already (not made by Mesoscope); remove them or choose another name.`);
  }

  const images = [...new Set([spec.images.zookeeper, spec.images.master, spec.images.agent])];
  const problems = (await Promise.all(images.map((image) => imageProblem(docker, image, spec.pullPolicy)))).filter(Boolean);
  if (problems.length > 0) throw new PreflightError(problems.join(' '));
}

async function imageProblem(docker: Dockerode, image: string, policy: PullPolicy): Promise<string | null> {
  const present = await imagePresent(docker, image);
  if (present && policy !== 'always') return null;
  if (!present && policy === 'never') {
    return `images: ${image} is not present and pullPolicy is "never"; build or pull it first, or allow pulls.`;
  }
  try {
    // Asks the image's registry for its manifest without pulling anything.
    await docker.getImage(image).distribution();
    return null;
  } catch (err) {
    const message = ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message).split('\n')[0];
    return `images: ${image} is ${present ? 'present but' : 'not present and'} cannot be pulled (${message}).`;
  }
}
