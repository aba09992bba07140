import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where an attached cluster's password or token is kept: never in settings.json. The desktop app
 * encrypts it with Electron's safeStorage (the OS keychain's key); the web host and the CLI, which
 * have no keychain, keep it in a file only its owner can read (0600). Both write one JSON file of
 * name → secret (encrypted or not), atomically.
 */
export interface SecretStore {
  /** What Settings says about where secrets are. */
  readonly kind: 'safeStorage' | 'file';
  readonly where: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The part of Electron's safeStorage used here (passed in: this module never imports electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

abstract class JsonFileSecrets implements SecretStore {
  abstract readonly kind: 'safeStorage' | 'file';
  abstract readonly where: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(protected readonly file: string) {}

  protected abstract seal(secret: string): string;
  protected abstract open(sealed: string): string;

  async get(key: string): Promise<string | undefined> {
    const sealed = (await this.load())[key];
    return sealed === undefined ? undefined : this.open(sealed);
  }

  set(key: string, secret: string): Promise<void> {
    return this.change((all) => ({ ...all, [key]: this.seal(secret) }));
  }

  delete(key: string): Promise<void> {
    return this.change(({ [key]: _gone, ...rest }) => rest);
  }

  private change(edit: (all: Record<string, string>) => Record<string, string>): Promise<void> {
    const run = this.queue.then(async () => {
      const next = edit(await this.load());
      await mkdir(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, this.file);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`The secret store ${this.file} cannot be read: ${(err as Error).message}`, { cause: err });
    }
  }
}

/** Plain secrets in a 0600 file (the web host, the CLI). */
export class FileSecretStore extends JsonFileSecrets {
  readonly kind = 'file' as const;
  get where(): string {
    return `${this.file} (readable by its owner only, mode 0600; not encrypted)`;
  }
  protected seal(secret: string): string {
    return secret;
  }
  protected open(sealed: string): string {
    return sealed;
  }
}

/** Secrets encrypted with Electron's safeStorage (the desktop app). */
export class SafeStorageSecretStore extends JsonFileSecrets {
  readonly kind = 'safeStorage' as const;
  constructor(
    file: string,
    private readonly safe: SafeStorageLike,
  ) {
    super(file);
  }
  get where(): string {
    return `${this.file} (encrypted with the system keychain through Electron's safeStorage)`;
  }
  protected seal(secret: string): string {
    if (!this.safe.isEncryptionAvailable()) throw new Error('The system keychain is not available: the secret cannot be stored encrypted.');
    return this.safe.encryptString(secret).toString('base64');
  }
  protected open(sealed: string): string {
    return this.safe.decryptString(Buffer.from(sealed, 'base64'));
  }
}
