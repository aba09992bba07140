import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Settings, SettingsSchema } from '@shared/settings';

/**
 * Settings in one JSON file, validated on read and written atomically (temp file + rename), so a crash
 * mid-write never leaves a half file. A file that does not parse is set aside, not lost.
 */
export class SettingsStore {
  private current: Settings | null = null;

  constructor(readonly file: string) {}

  async get(): Promise<Settings> {
    this.current ??= await this.load();
    return this.current;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = SettingsSchema.parse({ ...(await this.get()), ...stripUndefined(patch) });
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.file);
    this.current = next;
    return next;
  }

  private async load(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return SettingsSchema.parse({});
      throw err;
    }
    try {
      return SettingsSchema.parse(JSON.parse(text));
    } catch (err) {
      const aside = `${this.file}.unreadable-${Date.now()}`;
      await rename(this.file, aside);
      console.warn(`Settings file ${this.file} could not be read (${(err as Error).message}); moved to ${aside}, using defaults.`);
      return SettingsSchema.parse({});
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
