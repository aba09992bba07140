import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { SharingState } from '@shared/contract/tours';
import { ApiError } from '@shared/errors';
import type { Dispatcher } from '../api/dispatcher';
import { startWebHost, type WebHost } from '../web-host/server';
import { viewerDispatcher } from './viewer-dispatcher';

export interface ListenAddress {
  address: string;
  label: string;
  loopback: boolean;
}

const LAN_WARNING =
  'This address is on your network: anyone there who gets the link can watch this cluster (they cannot change anything). Turn sharing off when the demo is over.';

/**
 * The audience view: a listener of its own, on the address the presenter picks (loopback unless asked),
 * serving the UI and the API with a viewer token of its own that allows subscriptions and reads only
 * (viewerDispatcher). The web host and the desktop app both run it in their core; turning it off closes
 * the listener and every viewer's socket.
 */
export class SharingService {
  private host: WebHost | null = null;
  private current: SharingState = { on: false, viewers: 0 };
  private readonly listeners = new Set<(state: SharingState) => void>();

  constructor(
    private readonly deps: {
      dispatcher: () => Dispatcher;
      /** The built renderer (dist/renderer); without it (the CLI) there is nothing to show an audience. */
      rendererDir?: string;
    },
  ) {}

  addresses(): ListenAddress[] {
    const list: ListenAddress[] = [{ address: '127.0.0.1', label: 'This machine only (loopback)', loopback: true }];
    for (const [name, infos] of Object.entries(networkInterfaces())) {
      for (const info of infos ?? []) {
        if (info.internal || info.family !== 'IPv4') continue;
        list.push({ address: info.address, label: `${name} (${info.address}): your network`, loopback: false });
      }
    }
    return list;
  }

  state(): SharingState {
    return { ...this.current };
  }

  subscribe(listener: (state: SharingState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state());
    return () => this.listeners.delete(listener);
  }

  async start(input: { cluster: string; address: string; port: number }): Promise<SharingState> {
    const choice = this.addresses().find((a) => a.address === input.address);
    if (!choice) {
      const known = this.addresses().map((a) => a.address).join(', ');
      throw new ApiError('invalid-input', `address: ${input.address} is not an address of this machine (${known})`, { issues: [{ path: 'address', message: `not one of ${known}` }] });
    }
    const rendererDir = this.deps.rendererDir;
    if (!rendererDir || !existsSync(join(rendererDir, 'index.html'))) {
      throw new ApiError('refused', 'The audience view serves the app\'s UI, which is not built here: share from the app or from npm run start:web.');
    }
    const clusters = await this.deps.dispatcher().call('clusters.list', {});
    if (clusters.ok && !(clusters.value as Array<{ name: string }>).some((c) => c.name === input.cluster)) {
      throw new ApiError('not-found', `cluster: no cluster named "${input.cluster}"`, { issues: [{ path: 'cluster', message: 'no such cluster' }] });
    }
    await this.stop();
    const host = await startWebHost({
      dispatcher: viewerDispatcher(this.deps.dispatcher()),
      rendererDir,
      host: choice.address,
      port: input.port,
      token: randomBytes(24).toString('base64url'),
      allowLan: !choice.loopback,
      onConnections: (viewers) => {
        if (this.host !== host) return;
        this.current = { ...this.current, viewers };
        this.changed();
      },
    });
    this.host = host;
    this.current = {
      on: true,
      cluster: input.cluster,
      url: `${host.url}&watch=${encodeURIComponent(input.cluster)}`,
      address: choice.address,
      port: host.port,
      viewers: 0,
      warning: choice.loopback ? undefined : LAN_WARNING,
    };
    this.changed();
    return this.state();
  }

  /** Closes the listener and every viewer's socket. */
  async stop(): Promise<SharingState> {
    const host = this.host;
    this.host = null;
    if (host) await host.close();
    this.current = { on: false, viewers: 0 };
    this.changed();
    return this.state();
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.listeners.clear();
  }

  private changed(): void {
    const state = this.state();
    for (const listener of [...this.listeners]) listener(state);
  }
}
