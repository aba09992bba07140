import { z } from 'zod';
import { ClusterJsonFile } from './cluster-json-file';

/**
 * The built-in framework's ids, per cluster and variant, in the app's data dir (next to settings.json),
 * so that after an app restart it resubscribes with the same id and keeps its tasks (docs/mesos/api.md §3.1).
 * Written atomically (temp file + rename); writes are queued so none is lost to a race; a file that
 * does not parse is set aside, as the settings store does.
 */

const SavedIdSchema = z.object({ id: z.string().min(1), savedAt: z.number() });

export class FrameworkStore {
  private readonly records: ClusterJsonFile<typeof SavedIdSchema>;

  constructor(readonly file: string) {
    this.records = new ClusterJsonFile(file, SavedIdSchema, 'frameworks will subscribe afresh');
  }

  /** variant key → framework id, for one cluster. */
  async ids(cluster: string): Promise<Record<string, string>> {
    return Object.fromEntries(Object.entries(await this.records.of(cluster)).map(([k, v]) => [k, v.id]));
  }

  async save(cluster: string, key: string, id: string): Promise<void> {
    await this.records.change((clusters) => {
      clusters[cluster] = { ...clusters[cluster], [key]: { id, savedAt: Date.now() } };
    });
  }

  /** The master removed the framework (or refuses its id): subscribe afresh next time. */
  async forgetId(cluster: string, key: string): Promise<void> {
    await this.records.change((clusters) => {
      const c = clusters[cluster];
      if (c) delete c[key];
    });
  }

  /** The cluster is gone. */
  async forgetCluster(cluster: string): Promise<void> {
    await this.records.change((clusters) => {
      delete clusters[cluster];
    });
  }
}
