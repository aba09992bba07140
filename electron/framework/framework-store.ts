import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The built-in framework's ids, per cluster and variant, in the app's data dir (next to settings.json),
 * so that after an app restart it resubscribes with the same id and keeps its tasks (docs/mesos/api.md §3.1).
 * Written atomically (temp file + rename); writes are queued so none is lost to a race; a file that
 * does not parse is set aside, as the settings store does.
 */

const FileSchema = z.object({
  version: z.literal(1),
  clusters: z.record(z.string(), z.record(z.string(), z.object({ id: z.string().min(1), savedAt: z.number() }))),
});
type StoreFile = z.infer<typeof FileSchema>;

export class FrameworkStore {
  private current: StoreFile | null = null;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  /** variant key → framework id, for one cluster. */
  async ids(cluster: string): Promise<Record<string, string>> {
    const data = await this.load();
    return Object.fromEntries(Object.entries(data.clusters[cluster] ?? {}).map(([k, v]) => [k, v.id]));
  }

  async save(cluster: string, key: string, id: string): Promise<void> {
    await this.change((d) => {
      d.clusters[cluster] = { ...d.clusters[cluster], [key]: { id, savedAt: Date.now() } };
    });
  }

  /** The master removed the framework (or refuses its id): subscribe afresh next time. */
  async forgetId(cluster: string, key: string): Promise<void> {
    await this.change((d) => {
      const c = d.clusters[cluster];
      if (c) delete c[key];
    });
  }

  /** The cluster is gone. */
  async forgetCluster(cluster: string): Promise<void> {
    await this.change((d) => {
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
      const parsed = FileSchema.safeParse(safeJson(text));
      if (parsed.success) data = parsed.data;
      else {
        const aside = `${this.file}.unreadable-${Date.now()}`;
        await rename(this.file, aside).catch(() => undefined);
        console.warn(`Framework ids file ${this.file} could not be read; moved to ${aside}; frameworks will subscribe afresh.`);
      }
    }
    this.current = data;
    return data;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
