import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * A JSON file of records per cluster in the app's data dir (frameworks.json, services.json): written
 * atomically (temp file + rename, mode 0600), writes queued in order so none is lost to a race, and a
 * file that does not parse set aside (as the settings store does) with a warning saying what that means.
 */
export class ClusterJsonFile<Entry extends z.ZodType> {
  private readonly schema;
  private current: ClusterRecords<z.infer<Entry>> | null = null;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    entry: Entry,
    /** What the user loses when the file is unreadable, e.g. "frameworks will subscribe afresh". */
    private readonly whenUnreadable: string,
  ) {
    this.schema = z.object({ version: z.literal(1), clusters: z.record(z.string(), z.record(z.string(), entry)) });
  }

  /** The records of one cluster, by key. */
  async of(cluster: string): Promise<Record<string, z.infer<Entry>>> {
    return (await this.load()).clusters[cluster] ?? {};
  }

  change(edit: (clusters: Record<string, Record<string, z.infer<Entry>>>) => void): Promise<void> {
    const next = this.writing.then(async () => {
      const data = await this.load();
      edit(data.clusters);
      await mkdir(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, this.file);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<ClusterRecords<z.infer<Entry>>> {
    if (this.current) return this.current;
    let text: string | undefined;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let data: ClusterRecords<z.infer<Entry>> = { version: 1, clusters: {} };
    if (text !== undefined) {
      const parsed = this.schema.safeParse(safeJson(text));
      if (parsed.success) data = parsed.data as ClusterRecords<z.infer<Entry>>;
      else {
        const aside = `${this.file}.unreadable-${Date.now()}`;
        await rename(this.file, aside).catch(() => undefined);
        console.warn(`${this.file} could not be read; moved to ${aside}; ${this.whenUnreadable}.`);
      }
    }
    this.current = data;
    return data;
  }
}

interface ClusterRecords<T> {
  version: 1;
  clusters: Record<string, Record<string, T>>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
