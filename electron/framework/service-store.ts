import { z } from 'zod';
import { ServiceEventSchema, ServiceSpecSchema } from '@shared/services/schemas';
import { ClusterJsonFile } from './cluster-json-file';

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


export class ServiceStore {
  private readonly records: ClusterJsonFile<typeof StoredServiceSchema>;

  constructor(readonly file: string) {
    this.records = new ClusterJsonFile(file, StoredServiceSchema, 'no services resumed');
  }

  /** The cluster's services; a stored definition that no longer validates is left out, with a warning. */
  async services(cluster: string): Promise<StoredService[]> {
    const out: StoredService[] = [];
    for (const [id, s] of Object.entries(await this.records.of(cluster))) {
      const spec = ServiceSpecSchema.safeParse(s.spec);
      if (spec.success) out.push({ spec: spec.data, instances: s.instances, history: s.history });
      else console.warn(`Service ${id} of ${cluster} in ${this.file} is not a valid definition; left out: ${spec.error.message}`);
    }
    return out;
  }

  save(cluster: string, service: StoredService): Promise<void> {
    return this.records.change((clusters) => {
      clusters[cluster] = { ...clusters[cluster], [service.spec.id]: service };
    });
  }

  remove(cluster: string, id: string): Promise<void> {
    return this.records.change((clusters) => {
      const c = clusters[cluster];
      if (c) delete c[id];
    });
  }

  forgetCluster(cluster: string): Promise<void> {
    return this.records.change((clusters) => {
      delete clusters[cluster];
    });
  }
}
