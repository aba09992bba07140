import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';

/**
 * Crash-safe clean-up for test code, after Testcontainers' Ryuk: a small container holds a connection
 * to this process; when the connection closes (the process ended, even by kill -9), it waits a grace
 * period and removes everything labelled with this process's session: containers (node, record and
 * helper containers), the task containers the agents started (named by the sandboxes in the clusters'
 * work dirs), networks, volumes and the work dirs.
 *
 * Unlike Ryuk it listens on no port: the connection is an attach to the container's stdin through the
 * Docker API (StdinOnce: Docker closes stdin when the attached client goes away), so it works over any
 * endpoint (unix socket, TCP, Docker Desktop's VM) with nothing published. It runs a Perl script in an
 * image the cluster needs anyway (by default its agent image): perl-base is part of every Debian and
 * Ubuntu image, so it needs no image of its own, no registry and no build, and reaches the daemon with
 * Perl's own sockets, so it needs no docker client either.
 */

/** Everything a session creates carries this label with the session's id. */
export const SESSION_LABEL = 'io.mesoscope.session';
/** The reaper container of a session. */
export const REAPER_LABEL = 'io.mesoscope.reaper';

export interface ReaperOptions {
  /** An image with perl (any Debian or Ubuntu based image). */
  image: string;
  /** The daemon's own socket, a path on the Docker host. */
  daemonSocket: string;
  /** The work root on the Docker host; the clusters' work dirs are <workRoot>/<cluster>. */
  workRoot: string;
  /** How long after the connection closed it waits before removing (default 10 s, as Ryuk). */
  graceMs?: number;
  /** How long to wait for the reaper to be ready. */
  startTimeoutMs?: number;
}

export interface Reaper {
  sessionId: string;
  containerId: string;
  /** Put these on everything the session creates. */
  labels: Record<string, string>;
  /** Close the connection now (the reaper then cleans up after its grace period). */
  close(): void;
}

export class ReaperError extends Error {
  override readonly name = 'ReaperError';
}

/**
 * The reaper's program. Waits for EOF on stdin, sleeps the grace period, then removes by the session
 * label through the Docker socket at /var/run/docker.sock, twice (a create in flight when the process
 * died may land after the first round).
 */
const SCRIPT = String.raw`
use strict; use IO::Socket::UNIX;
$| = 1;
my ($session, $grace) = ($ENV{SESSION}, $ENV{GRACE_S});
sub api {
  my ($method, $path) = @_;
  my $s = IO::Socket::UNIX->new(Peer => '/var/run/docker.sock') or die "docker socket: $!\n";
  print $s "$method $path HTTP/1.0\r\nHost: docker\r\n\r\n";
  local $/; my $r = <$s>; close $s;
  my ($head, $body) = split /\r\n\r\n/, ($r // ''), 2;
  return $body // '';
}
api('GET', '/_ping') eq 'OK' or die "the daemon does not answer on /var/run/docker.sock\n";
print "reaper ready\n";
1 while <STDIN>;
print "connection closed; removing session $session in $grace s\n";
sleep $grace;
my $filter = '%7B%22label%22%3A%5B%22io.mesoscope.session%3D' . $session . '%22%5D%7D';
my %clusters;
for my $round (1, 2) {
  my $list = api('GET', "/containers/json?all=1&filters=$filter");
  $clusters{$_} = 1 for $list =~ /"io\.mesoscope\.cluster":"([a-z0-9][a-z0-9-]*)"/g;
  api('DELETE', "/containers/$_?force=1&v=1") for $list =~ /"Id":"([0-9a-f]{64})"/g;
  for my $c (keys %clusters) {
    for my $run (glob "/work-root/$c/agent-*/slaves/*/frameworks/*/executors/*/runs/*") {
      my ($id) = $run =~ m{/([^/]+)$};
      api('DELETE', "/containers/mesos-$id?force=1&v=1") if $id ne 'latest';
    }
  }
  my $networks = api('GET', "/networks?filters=$filter");
  api('DELETE', "/networks/$_") for $networks =~ /"Id":"([0-9a-f]{64})"/g;
  my $volumes = api('GET', "/volumes?filters=$filter");
  api('DELETE', "/volumes/$_") for $volumes =~ /"Name":"([^"\/]+)"/g;
  system('rm', '-rf', "/work-root/$_") for keys %clusters;
  sleep 1 if $round == 1;
}
print "removed: clusters " . join(' ', sort keys %clusters) . "\n";
`;

const NEEDS = '; it needs perl, which every Debian or Ubuntu based image has: choose such an image (reaper: { image }), or reaper: false.';

function firstLine(err: unknown): string {
  return ((err as Error).message ?? String(err)).split('\n')[0]?.trim() ?? '';
}

/** Starts a reaper for a new session; resolves once it holds the connection and reaches the daemon. */
export async function startReaper(docker: Dockerode, options: ReaperOptions): Promise<Reaper> {
  const sessionId = randomUUID();
  const graceS = Math.max(0, Math.ceil((options.graceMs ?? 10_000) / 1000));
  const container = await docker.createContainer({
    name: `mesoscope-reaper-${sessionId.slice(0, 8)}`,
    Image: options.image,
    Entrypoint: [],
    Cmd: ['perl', '-e', SCRIPT],
    Env: [`SESSION=${sessionId}`, `GRACE_S=${graceS}`],
    User: '0',
    Labels: { [REAPER_LABEL]: sessionId },
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    // Docker closes the container's stdin when the attached client disconnects: the process is gone.
    StdinOnce: true,
    HostConfig: {
      AutoRemove: true,
      NetworkMode: 'none',
      Binds: [`${options.daemonSocket}:/var/run/docker.sock`, `${options.workRoot}:/work-root`],
    },
  });
  let stream: Duplex;
  try {
    stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as Duplex;
    await container.start();
  } catch (err) {
    await container.remove({ force: true }).catch(() => undefined);
    throw new ReaperError(`The reaper could not start in ${options.image} (${firstLine(err)})${NEEDS}`);
  }
  try {
    await untilReady(stream, options.startTimeoutMs ?? 30_000);
  } catch (err) {
    stream.destroy();
    await container.remove({ force: true }).catch(() => undefined);
    throw new ReaperError(`The reaper did not start in ${options.image} (${firstLine(err)})${NEEDS}`);
  }
  stream.on('error', () => undefined);
  // Keep reading (what it prints later is of no use here) so that the connection never stalls.
  stream.resume();
  // The connection must not keep a test process alive: it lives exactly as long as the process.
  (stream as Duplex & { unref?: () => void }).unref?.();
  return {
    sessionId,
    containerId: container.id,
    labels: { [SESSION_LABEL]: sessionId },
    close: () => stream.destroy(),
  };
}

/** Resolves when the reaper printed that it is ready; rejects with what it printed if it ends first. */
function untilReady(stream: Duplex, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const done = (err?: Error) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      if (err) reject(err);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('reaper ready')) done();
    };
    const onEnd = () => done(new Error(`it ended: ${printable(seen) || 'no output'}`));
    const timer = setTimeout(() => done(new Error(`not ready within ${timeoutMs / 1000} s: ${printable(seen)}`)), timeoutMs);
    stream.on('data', onData);
    stream.on('end', onEnd);
  });
}

/** The text of Docker's multiplexed frames, headers dropped. */
function printable(raw: string): string {
  return [...raw].filter((c) => c === '\n' || c.charCodeAt(0) >= 32).join('').trim().slice(0, 300);
}
