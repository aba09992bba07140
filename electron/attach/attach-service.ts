import { readFile } from 'node:fs/promises';
import {
  type AttachedCluster,
  ConnectionInputSchema,
  type ConnectionInput,
  type SavedConnection,
} from '@shared/attach/connection';
import { ApiError } from '@shared/errors';
import { describeIssues } from '@shared/validation';
import { authorizationHeader, type HttpAccess } from '../mesos/access';
import type { SchedulerAccess } from '../framework/builtin-framework';
import type { MasterClientOptions } from '../mesos/master-client';
import type { SettingsStore } from '../settings/settings-store';
import { attachError, probeConnection, type ProbeResult, type ProbeTarget } from './probe';
import type { SecretStore } from './secret-store';

/**
 * The clusters Mesoscope did not start: added only after probeConnection() says they are Mesos and the
 * credentials work (nothing is saved half-way: the secret first, then settings.json, the secret taken
 * back if that fails), kept in settings.json without their secrets, and turned into what the monitors,
 * the logs and the framework need to reach them (masterClientOptions, access).
 */

export interface AttachServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Whether a launched cluster has this name (names are one namespace). */
  launched: (name: string) => Promise<boolean>;
  probe?: (target: ProbeTarget) => Promise<ProbeResult>;
  probeTimeoutMs?: number;
}

const secretKey = (name: string) => `connection:${name}`;

export class AttachService {
  private connections = new Map<string, SavedConnection>();
  private loaded: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: AttachServiceDeps) {}

  /** Where secrets are kept (Settings says so). */
  get secrets(): Pick<SecretStore, 'kind' | 'where'> {
    return this.deps.secrets;
  }

  /** Reads the saved connections (once); everything else awaits it. */
  load(): Promise<void> {
    this.loaded ??= this.deps.settings.get().then((s) => {
      this.connections = new Map(s.connections.map((c) => [c.name, c]));
    });
    return this.loaded;
  }

  /** Known synchronously once load() resolved. */
  has(name: string): boolean {
    return this.connections.has(name);
  }

  writesOn(name: string): boolean {
    return this.connections.get(name)?.writes === true;
  }

  async list(): Promise<AttachedCluster[]> {
    await this.load();
    return [...this.connections.values()].map((c) => this.describe(c));
  }

  async get(name: string): Promise<AttachedCluster> {
    return this.describe(await this.saved(name));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async add(raw: ConnectionInput): Promise<AttachedCluster> {
    await this.load();
    const parsed = ConnectionInputSchema.safeParse(raw);
    if (!parsed.success) throw new ApiError('invalid-input', describeIssues(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))));
    const input = parsed.data;
    if (this.connections.has(input.name) || (await this.deps.launched(input.name))) {
      throw attachError(`The name "${input.name}" is taken by another cluster: choose another.`, { reason: 'name-taken' });
    }
    const zk = input.masters.find((m) => m.startsWith('zk://'));
    const masters = input.masters.filter((m) => !m.startsWith('zk://')).map((m) => new URL(m).origin);
    if (zk && input.masters.length > 1) throw new ApiError('invalid-input', 'masters: give one zk:// URL, or master URLs, not both.');
    const secret = input.auth.kind === 'basic' ? input.auth.password : input.auth.kind === 'bearer' ? input.auth.token : undefined;
    const saved: SavedConnection = {
      name: input.name,
      masters,
      ...(zk ? { zk } : {}),
      auth: input.auth.kind === 'basic' ? { kind: 'basic', username: input.auth.username } : { kind: input.auth.kind },
      ...(input.tls && (input.tls.caFile || input.tls.fingerprint256) ? { tls: input.tls } : {}),
      writes: input.writes,
      ...(input.dockerEndpoints?.length ? { dockerEndpoints: input.dockerEndpoints } : {}),
      addedAt: new Date().toISOString(),
    };
    const access = await this.accessOf(saved, secret);
    await (this.deps.probe ?? probeConnection)({ masters, zk, access, authKind: saved.auth.kind, timeoutMs: this.deps.probeTimeoutMs });
    if (secret !== undefined) await this.deps.secrets.set(secretKey(saved.name), secret);
    try {
      await this.save([...this.connections.values(), saved]);
    } catch (err) {
      await this.deps.secrets.delete(secretKey(saved.name)).catch(() => undefined);
      throw err;
    }
    return this.describe(saved);
  }

  async remove(name: string): Promise<void> {
    await this.saved(name);
    await this.save([...this.connections.values()].filter((c) => c.name !== name));
    await this.deps.secrets.delete(secretKey(name));
  }

  async setWrites(name: string, writes: boolean): Promise<AttachedCluster> {
    const current = await this.saved(name);
    const next = { ...current, writes };
    await this.save([...this.connections.values()].map((c) => (c.name === name ? next : c)));
    return this.describe(next);
  }

  /** Credentials and TLS for every request to the cluster's masters and agents. */
  async access(name: string): Promise<HttpAccess> {
    const saved = await this.saved(name);
    return this.accessOf(saved, saved.auth.kind === 'none' ? undefined : await this.deps.secrets.get(secretKey(name)));
  }

  /** What the built-in framework sends on /api/v1/scheduler: the connection's access, and its user as the principal. */
  async schedulerAccess(name: string): Promise<SchedulerAccess> {
    const saved = await this.saved(name);
    return { access: await this.access(name), ...(saved.auth.kind === 'basic' && saved.auth.username ? { principal: saved.auth.username } : {}) };
  }

  /** The Docker endpoints the user named for the cluster's agents (none: no Docker evidence). */
  async dockerEndpoints(name: string): Promise<NonNullable<SavedConnection['dockerEndpoints']>> {
    return (await this.saved(name)).dockerEndpoints ?? [];
  }

  async masterClientOptions(name: string): Promise<MasterClientOptions> {
    const saved = await this.saved(name);
    return { masters: saved.masters, zk: saved.zk, access: await this.access(name) };
  }

  private async saved(name: string): Promise<SavedConnection> {
    await this.load();
    const found = this.connections.get(name);
    if (!found) throw new ApiError('not-found', `No attached cluster "${name}".`);
    return found;
  }

  private async accessOf(saved: SavedConnection, secret: string | undefined): Promise<HttpAccess> {
    const headers =
      saved.auth.kind === 'basic'
        ? authorizationHeader({ kind: 'basic', username: saved.auth.username ?? '', password: secret ?? '' })
        : saved.auth.kind === 'bearer'
          ? authorizationHeader({ kind: 'bearer', token: secret ?? '' })
          : {};
    let ca: string | undefined;
    if (saved.tls?.caFile) {
      try {
        ca = await readFile(saved.tls.caFile, 'utf8');
      } catch (err) {
        throw new ApiError('invalid-input', `tls.caFile: ${saved.tls.caFile} cannot be read: ${(err as Error).message}`);
      }
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new ApiError('invalid-input', `tls.caFile: ${saved.tls.caFile} holds no PEM certificate.`);
    }
    return {
      headers,
      ...(ca || saved.tls?.fingerprint256 ? { tls: { ...(ca ? { ca } : {}), ...(saved.tls?.fingerprint256 ? { fingerprint256: saved.tls.fingerprint256 } : {}) } } : {}),
    };
  }

  private async save(list: SavedConnection[]): Promise<void> {
    await this.deps.settings.update({ connections: list });
    this.connections = new Map(list.map((c) => [c.name, c]));
    for (const listener of [...this.listeners]) listener();
  }

  private describe(saved: SavedConnection): AttachedCluster {
    return { ...saved, kind: 'attached', secretStorage: { kind: this.deps.secrets.kind, where: this.deps.secrets.where } };
  }
}
