import { z } from 'zod';

/**
 * A Docker endpoint the user names for an attached cluster's agents (by the agent's hostname as Mesos
 * reports it, or `*` for every agent), so the doctor can follow the containers those agents start:
 * `unix:///path`, `tcp://host:port` or `ssh://user@host[:port]` (docker-modem's transports; ssh uses
 * the user's agent and keys, nothing is stored). Anything else is refused: other schemes, spaces,
 * paths or options after an ssh host, a user or host that starts like an option.
 */

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = `${LABEL}(?:\\.${LABEL})*`;
const IPV6 = '\\[[0-9A-Fa-f:.]{2,45}\\]';
const HOST = `(?:${HOSTNAME}|${IPV6})`;
const PORT = '(\\d{1,5})';
const USER = '[A-Za-z_][A-Za-z0-9_.-]{0,31}';

const UNIX_RE = /^unix:\/\/(\/[A-Za-z0-9._\-/]{1,4000})$/;
const TCP_RE = new RegExp(`^tcp://(${HOST}):${PORT}$`);
const SSH_RE = new RegExp(`^ssh://(${USER})@(${HOST})(?::${PORT})?$`);

export type DockerEndpoint =
  | { protocol: 'unix'; socketPath: string }
  | { protocol: 'tcp'; host: string; port: number }
  | { protocol: 'ssh'; username: string; host: string; port: number };

const portOf = (s: string | undefined, fallback: number): number | null => {
  if (s === undefined) return fallback;
  const n = Number(s);
  return n >= 1 && n <= 65_535 ? n : null;
};
const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

/** The endpoint, or the reason it is refused (in words). */
export function parseDockerEndpoint(url: string): DockerEndpoint | { error: string } {
  if (!/^[\x21-\x7e]+$/.test(url)) return { error: 'no spaces or control characters' };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'unix') {
    const m = UNIX_RE.exec(url);
    if (!m || m[1]!.split('/').includes('..')) return { error: 'unix:///absolute/path/to/docker.sock (letters, digits, . _ - /; no "..")' };
    return { protocol: 'unix', socketPath: m[1]! };
  }
  if (scheme === 'tcp') {
    const m = TCP_RE.exec(url);
    const port = m ? portOf(m[2], 0) : null;
    if (!m || port === null) return { error: 'tcp://host:port (a hostname or an IP address, a port 1-65535, nothing after it)' };
    return { protocol: 'tcp', host: unbracket(m[1]!), port };
  }
  if (scheme === 'ssh') {
    const m = SSH_RE.exec(url);
    const port = m ? portOf(m[3], 22) : null;
    if (!m || port === null) return { error: 'ssh://user@host[:port] (no path, options or spaces; user and host start with a letter or digit)' };
    return { protocol: 'ssh', username: m[1]!, host: unbracket(m[2]!), port };
  }
  return { error: 'unix://, tcp:// or ssh:// (no other scheme)' };
}

export const DockerEndpointUrlSchema = z
  .string()
  .max(4096)
  .superRefine((url, ctx) => {
    const parsed = parseDockerEndpoint(url);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: `"${url.slice(0, 80)}" is not a Docker endpoint: ${parsed.error}` });
  });

/** Which agents: `*`, or a hostname / IP address as Mesos reports the agent's. */
export const DockerEndpointAgentSchema = z
  .string()
  .refine((a) => a === '*' || new RegExp(`^(?:${HOSTNAME}|[0-9A-Fa-f:.]{2,45})$`).test(a), 'an agent hostname as Mesos reports it, or * for every agent');

export const DockerEndpointEntrySchema = z.object({ agent: DockerEndpointAgentSchema, url: DockerEndpointUrlSchema }).strict();
export type DockerEndpointEntry = z.infer<typeof DockerEndpointEntrySchema>;

export const DockerEndpointsSchema = z
  .array(DockerEndpointEntrySchema)
  .max(64)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((e, i) => {
      if (seen.has(e.agent)) ctx.addIssue({ code: 'custom', path: [i, 'agent'], message: `"${e.agent}" is named twice` });
      seen.add(e.agent);
    });
  });

/** The endpoint for an agent: its own hostname's first, else `*`'s. */
export function endpointFor(list: readonly DockerEndpointEntry[] | undefined, hostname: string): string | undefined {
  return list?.find((e) => e.agent === hostname)?.url ?? list?.find((e) => e.agent === '*')?.url;
}

/** `HOST=URL` as the CLI takes it. */
export function parseDockerFlag(flag: string): DockerEndpointEntry | { error: string } {
  const eq = flag.indexOf('=');
  if (eq <= 0) return { error: `--docker takes HOST=URL (an agent's hostname or *, then its Docker endpoint), not "${flag}"` };
  return { agent: flag.slice(0, eq), url: flag.slice(eq + 1) };
}
