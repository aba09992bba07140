import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ServiceEventSchema, ServiceSpecSchema } from '@shared/services/schemas';

/**
 * The services' definitions, their instances' task ids, agents and ports, and their history, per
 * cluster, in services.json beside frameworks.json (which keeps the framework's id): after an app
 * restart the services resume with the tasks they had. Written atomically and in order, like the
 * framework store; a file that does not parse is set aside.
 */

const StoredInstanceSchema = z.object({
  slot: z.number().int(),
  taskId: z.string(),
  agentId: z.string(),
  host: z.string(),
  ports: z.array(z.number().int()),
  launchedAt: z.number(),
});
export type StoredInstance = z.infer<typeof StoredInstanceSchema>;

const StoredServiceSchema = z.object({
  spec: z.unknown(),
  instances: z.array(StoredInstanceSchema),
  history: z.array(ServiceEventSchema),
});
export type StoredService = { spec: z.output<typeof ServiceSpecSchema>; instances: StoredInstance[]; history: z.infer<typeof ServiceEventSchema>[] };

const FileSchema = z.object({
  version: z.literal(1),
  clusters: z.record(z.string(), z.record(z.string(), StoredServiceSchema)),
});
type StoreFile = z.infer<typeof FileSchema>;

export class ServiceStore {
  private current: StoreFile | null = null;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  /** The cluster's services; a stored definition that no longer validates is left out, with a warning. */
  async services(cluster: string): Promise<StoredService[]> {
    const data = await this.load();
    const out: StoredService[] = [];
    for (const [id, s] of Object.entries(data.clusters[cluster] ?? {})) {
      const spec = ServiceSpecSchema.safeParse(s.spec);
      if (spec.success) out.push({ spec: spec.data, instances: s.instances, history: s.history });
      else console.warn(`Service ${id} of ${cluster} in ${this.file} is not a valid definition; left out: ${spec.error.message}`);
    }
    return out;
  }

  save(cluster: string, service: StoredService): Promise<void> {
    return this.change((d) => {
      d.clusters[cluster] = { ...d.clusters[cluster], [service.spec.id]: service };
    });
  }

  remove(cluster: string, id: string): Promise<void> {
    return this.change((d) => {
      const c = d.clusters[cluster];
      if (c) delete c[id];
    });
  }

  forgetCluster(cluster: string): Promise<void> {
    return this.change((d) => {
      delete d.clusters[cluster];
    });
  }

  private change(edit: (d: StoreFile) => void): Promise<void> {
    const next = this.writing.then(async () => {
      const data = await this.load();
      edit(data);
      await mkdir(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, this.file);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<StoreFile> {
    if (this.current) return this.current;
    let text: string | undefined;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let data: StoreFile = { version: 1, clusters: {} };
    if (text !== undefined) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        raw = undefined;
      }
      const parsed = FileSchema.safeParse(raw);
      if (parsed.success) data = parsed.data;
      else {
        const aside = `${this.file}.unreadable-${Date.now()}`;
        await rename(this.file, aside).catch(() => undefined);
        console.warn(`Services file ${this.file} could not be read; moved to ${aside}; no services resumed.`);
      }
    }
    this.current = data;
    return data;
  }
}
