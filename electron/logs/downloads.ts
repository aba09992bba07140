import type { Readable } from 'node:stream';
import type { DownloadOutcome } from '@shared/logs/schema';

/** A file ready to be downloaded: its name, and a way to open its bytes (once, when asked). */
export interface DownloadableFile {
  name: string;
  /** Bytes, when the node said. */
  size?: number;
  open: (signal?: AbortSignal) => Promise<{ stream: Readable; size?: number }>;
}

/**
 * How the host in use hands a file to the user: the web host gives the page a one-time URL to fetch,
 * the Electron shell asks where to save it. In-process (tests, the CLI) there is none.
 */
export interface DownloadHost {
  offer(file: DownloadableFile): Promise<DownloadOutcome>;
}
