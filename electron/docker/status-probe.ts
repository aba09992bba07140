import type Dockerode from 'dockerode';
import type { DockerEndpoint, DockerStatus, DockerUnreachableReason } from '@shared/docker';
import { socketPathOf } from './endpoint';

export const PROBE_TIMEOUT_MS = 2500;

/** Ask the engine who it is and what it has; never throws: an unreachable engine is a status too. */
export async function probeDockerStatus(
  docker: Dockerode,
  endpoint: DockerEndpoint,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<DockerStatus> {
  const checkedAt = new Date().toISOString();
  try {
    const abortSignal = AbortSignal.timeout(timeoutMs);
    const [version, info] = await Promise.all([
      withSignal<Dockerode.DockerVersion>(docker.version).call(docker, { abortSignal }),
      withSignal<DockerInfo>(docker.info).call(docker, { abortSignal }),
    ]);
    return {
      reachable: true,
      endpoint,
      checkedAt,
      engine: {
        version: version.Version,
        apiVersion: version.ApiVersion,
        os: version.Os,
        arch: version.Arch,
        kernelVersion: version.KernelVersion ?? info.KernelVersion ?? '',
        operatingSystem: info.OperatingSystem ?? '',
        cpus: info.NCPU ?? 0,
        memoryBytes: info.MemTotal ?? 0,
        containersRunning: info.ContainersRunning ?? 0,
        containersTotal: info.Containers ?? 0,
        images: info.Images ?? 0,
        storageDriver: info.Driver ?? '',
        cgroupVersion: info.CgroupVersion ?? '',
      },
    };
  } catch (err) {
    const { reason, message } = explainDockerError(err, endpoint, timeoutMs);
    return { reachable: false, endpoint, checkedAt, reason, message };
  }
}

// @types/dockerode omits the abortSignal option that dockerode's version() and info() accept.
type SignalOptions = { abortSignal: AbortSignal };
const withSignal = <T>(method: unknown) => method as (this: Dockerode, options: SignalOptions) => Promise<T>;

interface DockerInfo {
  KernelVersion?: string;
  OperatingSystem?: string;
  NCPU?: number;
  MemTotal?: number;
  ContainersRunning?: number;
  Containers?: number;
  Images?: number;
  Driver?: string;
  CgroupVersion?: string;
}

/** Turn a connection error into the reason a user acts on, naming the socket or host. */
export function explainDockerError(
  err: unknown,
  endpoint: DockerEndpoint,
  timeoutMs: number,
): { reason: DockerUnreachableReason; message: string } {
  const e = err as { code?: string; name?: string; statusCode?: number; message?: string };
  const socket = socketPathOf(endpoint.url);
  const where = socket ?? endpoint.url;
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') {
    return { reason: 'timeout', message: `No answer from ${where} within ${timeoutMs / 1000} s: the daemon hangs or is overloaded.` };
  }
  switch (e.code) {
    case 'ENOENT':
      return { reason: 'socket-missing', message: `${where} does not exist: Docker is not installed or not running.` };
    case 'EACCES':
    case 'EPERM':
      return {
        reason: 'permission-denied',
        message: `Permission denied on ${where}: add your user to the docker group (then log in again) or use a socket you may open.`,
      };
    case 'ECONNREFUSED':
      return { reason: 'not-answering', message: `${where} refused the connection: the Docker daemon is not listening.` };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
      return { reason: 'not-answering', message: `${where}: ${e.code}: the Docker daemon is not answering.` };
  }
  if (typeof e.statusCode === 'number') {
    return { reason: 'error', message: `The Docker daemon at ${where} answered HTTP ${e.statusCode}: ${firstLine(e.message)}` };
  }
  return { reason: 'not-answering', message: `${where}: ${firstLine(e.message ?? String(err))}` };
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]?.trim() ?? '';
}
