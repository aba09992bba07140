import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerEndpoint } from '@shared/docker';

const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';
const DEFAULT_WINDOWS_PIPE = 'npipe:////./pipe/docker_engine';

export interface DiscoveryOptions {
  platform?: NodeJS.Platform;
  /** The user's home (for ~/.docker, ~/.colima, …); defaults to HOME, else os.homedir(). */
  home?: string;
  /** The engine's default socket; a test points it elsewhere to see what comes after it. */
  defaultSocket?: string;
}

/**
 * The Docker endpoint in effect, found as the docker CLI finds it, then where other engines put theirs:
 * 1. the one set in Settings; 2. DOCKER_HOST; 3. the current docker context (DOCKER_CONTEXT, else
 * `currentContext` in $DOCKER_CONFIG/config.json, ~/.docker by default; "default" means none);
 * 4. the rootless socket $XDG_RUNTIME_DIR/docker.sock; 5. the default socket (the named pipe on
 * Windows); 6. known places of Docker Desktop's per-user socket, Colima, Podman, Rancher Desktop and
 * OrbStack. When none of the sockets exists, the default: its status then says it is missing.
 */
export function resolveDockerEndpoint(
  fromSettings: string | null,
  env: NodeJS.ProcessEnv = process.env,
  options: DiscoveryOptions = {},
): DockerEndpoint {
  const platform = options.platform ?? process.platform;
  if (fromSettings) return { url: fromSettings, source: 'settings' };
  if (env.DOCKER_HOST) return { url: env.DOCKER_HOST, source: 'DOCKER_HOST' };
  const home = options.home ?? env.HOME ?? env.USERPROFILE ?? homedir();
  const fromContext = currentContextEndpoint(env, home);
  if (fromContext) return fromContext;
  if (platform === 'win32') return { url: DEFAULT_WINDOWS_PIPE, source: 'default' };
  if (env.XDG_RUNTIME_DIR) {
    const rootless = join(env.XDG_RUNTIME_DIR, 'docker.sock');
    if (isSocket(rootless)) return { url: `unix://${rootless}`, source: 'rootless', detail: 'rootless Docker' };
  }
  const defaultSocket = options.defaultSocket ?? DEFAULT_UNIX_SOCKET;
  if (isSocket(defaultSocket)) return { url: `unix://${defaultSocket}`, source: 'default' };
  for (const place of knownPlaces(env, home)) {
    if (isSocket(place.path)) return { url: `unix://${place.path}`, source: 'known', detail: place.engine };
  }
  return { url: `unix://${defaultSocket}`, source: 'default' };
}

/** Where other engines keep a Docker-compatible socket (a user's own, then the system's). */
export function knownPlaces(env: NodeJS.ProcessEnv, home: string): { engine: string; path: string }[] {
  const runtime = env.XDG_RUNTIME_DIR;
  return [
    { engine: 'Docker Desktop', path: join(home, '.docker', 'run', 'docker.sock') },
    { engine: 'Docker Desktop', path: join(home, '.docker', 'desktop', 'docker.sock') },
    { engine: 'Colima', path: join(env.COLIMA_HOME ?? join(home, '.colima'), 'default', 'docker.sock') },
    { engine: 'Colima', path: join(home, '.colima', 'docker.sock') },
    ...(runtime ? [{ engine: 'Podman (rootless)', path: join(runtime, 'podman', 'podman.sock') }] : []),
    { engine: 'Podman machine', path: join(home, '.local', 'share', 'containers', 'podman', 'machine', 'podman.sock') },
    { engine: 'Podman', path: '/run/podman/podman.sock' },
    { engine: 'Rancher Desktop', path: join(home, '.rd', 'docker.sock') },
    { engine: 'OrbStack', path: join(home, '.orbstack', 'run', 'docker.sock') },
  ];
}

interface ContextMeta {
  Name?: string;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

/**
 * The docker CLI's current context: DOCKER_CONTEXT, else `currentContext` of config.json. Its metadata
 * is contexts/meta/<sha256 of the name>/meta.json; TLS material, if any, contexts/tls/<same>/docker.
 */
function currentContextEndpoint(env: NodeJS.ProcessEnv, home: string): DockerEndpoint | null {
  const configDir = env.DOCKER_CONFIG || join(home, '.docker');
  const name = env.DOCKER_CONTEXT || readJson<{ currentContext?: string }>(join(configDir, 'config.json'))?.currentContext;
  if (!name || name === 'default') return null;
  const found = findContext(configDir, name);
  const host = found?.meta.Endpoints?.docker?.Host;
  if (!found || !host) return null;
  const tlsDir = join(configDir, 'contexts', 'tls', found.dir, 'docker');
  return {
    url: host,
    source: 'context',
    detail: name,
    ...(existsSync(join(tlsDir, 'ca.pem')) || existsSync(join(tlsDir, 'cert.pem')) ? { tlsDir } : {}),
  };
}

function findContext(configDir: string, name: string): { dir: string; meta: ContextMeta } | null {
  const metaRoot = join(configDir, 'contexts', 'meta');
  const hashed = createHash('sha256').update(name).digest('hex');
  const direct = readJson<ContextMeta>(join(metaRoot, hashed, 'meta.json'));
  if (direct?.Name === name) return { dir: hashed, meta: direct };
  // A context store written by another tool may not name folders by hash: look at each.
  let dirs: string[];
  try {
    dirs = readdirSync(metaRoot);
  } catch {
    return null;
  }
  for (const dir of dirs) {
    const meta = readJson<ContextMeta>(join(metaRoot, dir, 'meta.json'));
    if (meta?.Name === name) return { dir, meta };
  }
  return null;
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}
