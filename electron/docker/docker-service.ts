import Dockerode from 'dockerode';
import type { DockerEndpoint, DockerStatus } from '@shared/docker';
import { dockerOptionsFor } from './endpoint';
import { probeDockerStatus } from './status-probe';
import { DockerStatusWatcher } from './status-watcher';

/** The Docker engine Mesoscope drives: one client for the endpoint in effect, and its status watcher. */
export class DockerService {
  private client: Dockerode;
  private readonly endpointListeners = new Set<() => void>();
  readonly watcher: DockerStatusWatcher;

  constructor(
    private endpointInUse: DockerEndpoint,
    watcherOptions: { intervalMs?: number; backoffMs?: readonly number[] } = {},
  ) {
    this.client = new Dockerode(dockerOptionsFor(endpointInUse));
    this.watcher = new DockerStatusWatcher({
      ...watcherOptions,
      probe: () => probeDockerStatus(this.client, this.endpointInUse),
    });
  }

  get endpoint(): DockerEndpoint {
    return this.endpointInUse;
  }

  get docker(): Dockerode {
    return this.client;
  }

  status(): Promise<DockerStatus> {
    return this.watcher.check();
  }

  /** Switch engines: new client, and watchers told at once. */
  async setEndpoint(endpoint: DockerEndpoint): Promise<void> {
    if (JSON.stringify(endpoint) === JSON.stringify(this.endpointInUse)) return;
    // Built first: if the endpoint cannot make a client (TLS files missing), nothing changes.
    const client = new Dockerode(dockerOptionsFor(endpoint));
    this.endpointInUse = endpoint;
    this.client = client;
    for (const listener of this.endpointListeners) listener();
    await this.watcher.reset();
  }

  /** Called after the endpoint in use changed (the old client's streams should be dropped). */
  onEndpointChange(listener: () => void): () => void {
    this.endpointListeners.add(listener);
    return () => this.endpointListeners.delete(listener);
  }

  dispose(): void {
    this.watcher.dispose();
  }
}
