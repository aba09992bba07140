import type Dockerode from 'dockerode';
import { socketPathOf } from './endpoint';
import { runHelper } from './helper-container';

export interface DaemonSocket {
  /** The daemon's socket as a path on the Docker host: what containers that drive Docker bind. */
  path: string;
  /** True when a container bound to it reached this very daemon (the same /info ID). */
  verified: boolean;
}

/**
 * Inside a helper container: connect to the socket bound at /probe/docker.sock and print the daemon's
 * /info. Perl because perl-base is part of every Debian and Ubuntu image (the Mesos and emulator images
 * included), so no client has to be installed.
 */
const ASK_INFO = [
  'perl',
  '-MIO::Socket::UNIX',
  '-e',
  'my $s = IO::Socket::UNIX->new(Peer => "/probe/docker.sock") or exit 3; print $s "GET /info HTTP/1.0\\r\\nHost: docker\\r\\n\\r\\n"; local $/; my $r = <$s>; $r =~ s/^.*?\\r\\n\\r\\n//s; print $r;',
];

const cache = new Map<string, DaemonSocket>();

/**
 * The daemon's own socket path on its host, found by asking: each candidate is bound into a helper
 * container, which asks the daemon behind it for its ID; the first that answers with the ID of the
 * daemon we talk to wins. Candidates: what Podman says its socket is, the usual path, then the path
 * this endpoint uses (right for rootless Docker and local sockets elsewhere). The endpoint's path
 * alone would be wrong for a context or proxy on this machine and for Docker Desktop, where the
 * daemon lives in a VM. When nothing can be verified (an image without perl), the first candidate
 * Docker agrees to bind is used.
 */
export async function daemonSocket(docker: Dockerode, endpointUrl: string | undefined, image: string): Promise<DaemonSocket> {
  const info = (await docker.info()) as { ID?: string; SecurityOptions?: string[] };
  const key = `${endpointUrl ?? ''} ${info.ID ?? ''}`;
  const known = cache.get(key);
  if (known) return known;
  const local = endpointUrl?.startsWith('unix://') ? socketPathOf(endpointUrl) : null;
  const rootless = (info.SecurityOptions ?? []).some((o) => o.includes('name=rootless'));
  const candidates = [...new Set([await podmanSocket(docker), ...(rootless && local ? [local] : []), '/var/run/docker.sock', '/run/docker.sock', local].filter((p): p is string => !!p))];
  let bindable: string | null = null;
  for (const path of candidates) {
    const answer = await runHelper(docker, { image, cmd: ASK_INFO, mounts: [{ source: path, target: '/probe/docker.sock' }], timeoutMs: 20_000 }).catch(() => null);
    if (!answer) continue; // Docker refused the bind: nothing at that path on its host.
    bindable ??= path;
    if (answer.exitCode === 0 && idOf(answer.stdout) === info.ID) {
      const found = { path, verified: true };
      cache.set(key, found);
      return found;
    }
  }
  const fallback = { path: bindable ?? '/var/run/docker.sock', verified: false };
  cache.set(key, fallback);
  return fallback;
}

function idOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { ID?: string }).ID;
  } catch {
    return undefined;
  }
}

/** Podman's compatible API also answers /libpod/info, which names its socket; Docker answers 404. */
async function podmanSocket(docker: Dockerode): Promise<string | null> {
  try {
    type PodmanInfo = { host?: { remoteSocket?: { path?: string } } };
    const info = await new Promise<PodmanInfo>((resolve, reject) =>
      docker.modem.dial({ path: '/libpod/info', method: 'GET', statusCodes: { 200: true, 404: 'not Podman' }, options: {} }, (err, data) =>
        err ? reject(err) : resolve(data as PodmanInfo),
      ),
    );
    const path = info.host?.remoteSocket?.path;
    return path?.startsWith('unix://') ? path.slice('unix://'.length) : (path ?? null);
  } catch {
    return null;
  }
}
