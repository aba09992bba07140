import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { WS_API_PATH } from '@shared/api/wire';
import { hostPart } from './ws-api';
import { processAlive } from '../process-alive';

/**
 * How a running Mesoscope (the desktop app or the web host) tells the CLI on the same machine where its
 * API is: a file in the data dir, readable by its owner only. The CLI drives the clusters through that
 * process when it runs, as `docker` goes through dockerd, instead of starting a second engine on the
 * same data dir: two of them would subscribe one built-in framework id twice, and Mesos fails the
 * first over for good ("Framework failed over"), so the app's services would no longer be kept.
 */
export const HOST_ENDPOINT_FILE = 'host-api.json';

const HostEndpointSchema = z.object({
  pid: z.number().int().positive(),
  /** The API socket, token included: ws://127.0.0.1:PORT/api?token=… */
  url: z.string().startsWith('ws://'),
});
export type HostEndpoint = z.infer<typeof HostEndpointSchema>;

export const hostApiUrl = (host: string, port: number, token: string): string => `ws://${hostPart(host)}:${port}${WS_API_PATH}?token=${encodeURIComponent(token)}`;

/** Writes the endpoint (0600, replaced whole); the function returned removes it if it is still this one. */
export async function publishHostEndpoint(dataDir: string, endpoint: HostEndpoint): Promise<() => Promise<void>> {
  const path = join(dataDir, HOST_ENDPOINT_FILE);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(dataDir, { recursive: true });
  const file = await open(temp, 'wx', 0o600);
  try {
    await file.chmod(0o600);
    await file.writeFile(`${JSON.stringify(endpoint)}\n`);
  } finally {
    await file.close();
  }
  await rename(temp, path);
  return async () => {
    const now = await readEndpoint(path).catch(() => undefined);
    if (now?.pid === endpoint.pid && now.url === endpoint.url) await unlink(path).catch(() => undefined);
  };
}

export type HostLookup =
  | { kind: 'none' }
  | { kind: 'found'; endpoint: HostEndpoint }
  /** A file that is there but not used, and why (it is someone else's, or not an endpoint). */
  | { kind: 'ignored'; why: string };

/** The endpoint of the host running on `dataDir`, if one is. */
export async function findHostEndpoint(dataDir: string, isAlive: (pid: number) => boolean = processAlive): Promise<HostLookup> {
  const path = join(dataDir, HOST_ENDPOINT_FILE);
  const stat = await lstat(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  if (!stat) return { kind: 'none' };
  // It holds a token to the API: only a file of our own, that no one else may read or replace, is trusted.
  if (!stat.isFile()) return { kind: 'ignored', why: `${path} is not a plain file` };
  if (process.getuid && stat.uid !== process.getuid()) return { kind: 'ignored', why: `${path} belongs to another user (uid ${stat.uid})` };
  if ((stat.mode & 0o077) !== 0) return { kind: 'ignored', why: `${path} may be read or written by others (mode ${(stat.mode & 0o777).toString(8)})` };
  const endpoint = await readEndpoint(path).catch((err: Error) => err);
  if (endpoint instanceof Error) return { kind: 'ignored', why: `${path} is not a host endpoint (${endpoint.message})` };
  if (!isAlive(endpoint.pid)) {
    // Left by a host that did not end cleanly (killed, crashed): ours, and of no use to anyone.
    await unlink(path).catch(() => undefined);
    return { kind: 'none' };
  }
  return { kind: 'found', endpoint };
}

async function readEndpoint(path: string): Promise<HostEndpoint> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  const parsed = HostEndpointSchema.safeParse(json);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'the file'}: ${i.message}`).join('; '));
  return parsed.data;
}
