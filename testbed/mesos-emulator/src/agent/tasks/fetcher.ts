// The Mesos fetcher (src/launcher/fetcher.cpp, docs/fetcher.md), as far as the tests need it: each
// CommandInfo URI is downloaded (http, https) or copied (file://, an absolute path) into the sandbox,
// under its basename or `output_file`; `executable` makes it 0755 (and it is not extracted); archives
// (.tar, .tar.gz, .tgz, .tar.bz2, .tbz2, .tar.xz, .txz) are unpacked into the sandbox unless
// `extract` is false. The fetcher's log goes to the sandbox's stderr, as the real one's does. It runs
// before the executor starts, inside the executor registration timeout (docs/mesos/api.md §0.16). No cache.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FetchUri {
  value: string;
  executable?: boolean;
  extract?: boolean;
  output_file?: string;
}

export class FetchError extends Error {
  override readonly name = 'FetchError';
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz)$/;

/** The URIs of a TaskInfo's command, or of its ExecutorInfo's. */
export function urisOf(task: Record<string, unknown>): FetchUri[] {
  const command = (task.command ?? (task.executor as { command?: unknown } | undefined)?.command) as { uris?: unknown } | undefined;
  return Array.isArray(command?.uris) ? (command.uris as FetchUri[]).filter((u) => typeof u?.value === 'string') : [];
}

export async function fetchUris(uris: FetchUri[], sandbox: string, log: (line: string) => void, signal: AbortSignal): Promise<void> {
  for (const uri of uris) {
    log(`Fetching URI '${uri.value}'`);
    const name = uri.output_file ?? path.basename(new URL(uri.value, 'file:///').pathname);
    if (!name || name.includes('..')) throw fail(log, uri, 'no file name in the URI');
    const target = path.join(sandbox, name);
    log('Fetching directly into the sandbox directory');
    try {
      if (/^https?:/i.test(uri.value)) {
        const res = await fetch(uri.value, { signal });
        if (!res.ok) throw new Error(`HTTP response code ${res.status}`);
        fs.writeFileSync(target, Buffer.from(await res.arrayBuffer()));
      } else {
        fs.copyFileSync(uri.value.startsWith('file://') ? new URL(uri.value).pathname : uri.value, target);
      }
    } catch (err) {
      throw fail(log, uri, signal.aborted ? 'discarded' : (err as Error).message);
    }
    log(`Fetched '${uri.value}' to '${target}'`);
    if (uri.executable) {
      fs.chmodSync(target, 0o755);
    } else if (uri.extract !== false && ARCHIVE.test(name)) {
      try {
        await run('tar', ['-C', sandbox, '-xf', target], { signal });
      } catch (err) {
        throw fail(log, uri, `Failed to extract archive '${target}': ${(err as Error).message}`);
      }
      log(`Extracted '${target}' into '${sandbox}'`);
    }
  }
  log(`Successfully fetched all URIs into '${sandbox}'`);
}

function fail(log: (line: string) => void, uri: FetchUri, why: string): FetchError {
  log(`Failed to fetch '${uri.value}': ${why}`);
  return new FetchError(why);
}
