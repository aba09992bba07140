import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { type AddressInfo, BlockList } from 'node:net';
import { basename, isAbsolute } from 'node:path';
import type Dockerode from 'dockerode';
import type { ArtifactServerView } from '@shared/contract/runs';
import type { ClusterSummary } from '@shared/cluster/status';
import { ApiError } from '@shared/errors';
import { networkName } from '../engine/naming';

/**
 * Serves files the user chose over HTTP, so that agents can fetch them as executor or fetcher URIs
 * (CommandInfo.uris): the file server of the Mesos framework tutorial, whose `--address` must be one
 * the agents reach, not just one the scheduler's machine has. That address depends on the network:
 * with host networking the agents share the host's loopback; on a Linux bridge network they reach the
 * host at the network's gateway; on Docker Desktop only through host.docker.internal, which the VM
 * forwards to the host's loopback. One server per cluster, only the chosen files, read-only.
 */

interface Served {
  id: string;
  name: string;
  path: string;
  size: number;
}

interface Entry {
  address: string;
  urlHost: string;
  note: string;
  /** Who may connect: the cluster's bridge subnet; null: whoever reaches the address (loopback, or Docker Desktop's forwarding). */
  allowed: BlockList | null;
  server: http.Server | null;
  port: number | null;
  files: Map<string, Served>;
}

export interface ArtifactServersOptions {
  docker: () => Dockerode;
  cluster: (name: string) => Promise<ClusterSummary>;
}

export class ArtifactServers {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(private readonly options: ArtifactServersOptions) {}

  async view(cluster: string): Promise<ArtifactServerView> {
    return this.render(cluster, await this.entry(cluster));
  }

  async add(cluster: string, path: string): Promise<ArtifactServerView> {
    if (!isAbsolute(path)) throw new ApiError('invalid-input', `path: "${path}" is not an absolute path on this machine`);
    const info = await stat(path).catch(() => null);
    if (!info) throw new ApiError('not-found', `path: there is no file at ${path}`);
    if (!info.isFile()) throw new ApiError('invalid-input', `path: ${path} is not a regular file; serve a folder as an archive (.tar.gz), which the fetcher unpacks`);
    const entry = await this.entry(cluster);
    if (!entry.server) await this.listen(entry);
    const existing = [...entry.files.values()].find((f) => f.path === path);
    if (existing) existing.size = info.size;
    else {
      // 128 bits: a URL is the only key to its file, and other containers on this host can reach the server.
      const id = randomBytes(16).toString('hex');
      entry.files.set(id, { id, name: basename(path), path, size: info.size });
    }
    return this.render(cluster, entry);
  }

  async remove(cluster: string, id: string): Promise<ArtifactServerView> {
    const entry = await this.entry(cluster);
    if (!entry.files.delete(id)) throw new ApiError('not-found', `The artifact server of ${cluster} serves no file ${id}.`);
    if (entry.files.size === 0) await this.close(entry);
    return this.render(cluster, entry);
  }

  /** The cluster is gone: stop serving its files. */
  async forget(cluster: string): Promise<void> {
    const entry = await this.entries.get(cluster)?.catch(() => undefined);
    this.entries.delete(cluster);
    if (entry) await this.close(entry);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((c) => this.forget(c)));
  }

  private entry(cluster: string): Promise<Entry> {
    let entry = this.entries.get(cluster);
    if (!entry) {
      entry = this.place(cluster);
      this.entries.set(cluster, entry);
      entry.catch(() => this.entries.delete(cluster));
    }
    return entry;
  }

  /** Where to listen so that the cluster's agents reach the server. */
  private async place(cluster: string): Promise<Entry> {
    const summary = await this.options.cluster(cluster);
    const base = { server: null, port: null, files: new Map<string, Served>(), allowed: null };
    if (summary.layout.network === 'host') {
      return {
        ...base,
        address: summary.layout.hostAddress,
        urlHost: summary.layout.hostAddress,
        note: `The agents use the host network, so they reach ${summary.layout.hostAddress} as this machine does: bind the scheduler and its file server there (--address=${summary.layout.hostAddress}).`,
      };
    }
    const docker = this.options.docker();
    const info = (await docker.info()) as { OperatingSystem?: string };
    if (/Docker Desktop/i.test(info.OperatingSystem ?? '')) {
      return {
        ...base,
        address: '127.0.0.1',
        urlHost: 'host.docker.internal',
        note: "Docker Desktop: containers reach this machine's loopback only as host.docker.internal; the server binds 127.0.0.1 and the URLs name host.docker.internal.",
      };
    }
    const network = (await docker.getNetwork(networkName(cluster)).inspect()) as { IPAM?: { Config?: Array<{ Gateway?: string; Subnet?: string }> } };
    const config = network.IPAM?.Config?.find((c) => c.Gateway);
    const gateway = config?.Gateway;
    if (!gateway) throw new ApiError('failed', `The network ${networkName(cluster)} has no gateway address to serve the agents on.`);
    return {
      ...base,
      // The gateway address is reachable from every container on this host: only the cluster's own network may ask.
      allowed: subnetList(config?.Subnet),
      address: gateway,
      urlHost: gateway,
      note: `The agents sit on the bridge network ${networkName(cluster)}, where this machine is its gateway ${gateway}: a scheduler or file server bound to 127.0.0.1 is out of their reach, so bind ${gateway} (--address=${gateway}, LIBPROCESS_ADVERTISE_IP=${gateway}).`,
    };
  }

  private async listen(entry: Entry): Promise<void> {
    const server = http.createServer((req, res) => this.serve(entry, req, res));
    // A client that sends garbage or resets its connection must not end the app.
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, entry.address, () => resolve());
    }).catch((err: unknown) => {
      throw new ApiError('failed', `The artifact server cannot listen on ${entry.address}: ${(err as Error).message}`);
    });
    entry.server = server;
    entry.port = (server.address() as AddressInfo).port;
  }

  private serve(entry: Entry, req: http.IncomingMessage, res: http.ServerResponse): void {
    if (entry.allowed && !entry.allowed.check(req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '', 'ipv4')) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end("Only the cluster's own containers may fetch these files.\n");
      return;
    }
    const [, id, name] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    const file = id ? entry.files.get(id) : undefined;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !file || decodedOrNull(name ?? '') !== file.name) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not one of the files this server was asked to serve.\n');
      return;
    }
    void stat(file.path).then(
      (info) => {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(info.size) });
        if (req.method === 'HEAD') return void res.end();
        createReadStream(file.path)
          .on('error', () => res.destroy())
          .pipe(res);
      },
      () => res.writeHead(410, { 'Content-Type': 'text/plain' }).end(`${file.path} is gone.\n`),
    );
  }

  private async close(entry: Entry): Promise<void> {
    const server = entry.server;
    entry.server = null;
    entry.port = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private render(cluster: string, entry: Entry): ArtifactServerView {
    const url = (f: Served) => `http://${entry.urlHost}:${entry.port ?? 0}/${f.id}/${encodeURIComponent(f.name)}`;
    return {
      cluster,
      address: entry.address,
      urlHost: entry.urlHost,
      port: entry.port,
      note: entry.note,
      files: [...entry.files.values()].map((f) => ({ ...f, url: url(f) })),
    };
  }
}

/** `%`, `%zz` or a lone surrogate make decodeURIComponent throw: such a name is no file's. */
function decodedOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** A Docker network's IPv4 subnet as an allow list; null when Docker gives none (then only the bind address limits it). */
function subnetList(subnet: string | undefined): BlockList | null {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(subnet ?? '');
  if (!m) return null;
  const list = new BlockList();
  list.addSubnet(m[1]!, Number(m[2]), 'ipv4');
  return list;
}
