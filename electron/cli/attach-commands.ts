import { readFile } from 'node:fs/promises';
import type { AttachedCluster, ConnectionInput } from '@shared/attach/connection';
import { type DockerEndpointEntry, parseDockerFlag } from '@shared/attach/docker-endpoint';
import { type Command, type CommandContext, EXIT, need, printJson, UsageError } from './command';
import { table } from './format';

/** `attach`, `detach`: clusters Mesoscope did not start (shared/attach/connection.ts). */

async function readSecret(ctx: CommandContext, kind: 'password' | 'token'): Promise<string | undefined> {
  const file = ctx.values[`${kind}-file`];
  const fromStdin = ctx.values[`${kind}-stdin`] === true;
  if (typeof file === 'string' && fromStdin) throw new UsageError(`give --${kind}-file or --${kind}-stdin, not both`);
  if (typeof file === 'string') return (await readFile(file, 'utf8').catch((err: Error) => Promise.reject(new UsageError(`--${kind}-file: ${err.message}`)))).replace(/\r?\n$/, '');
  if (!fromStdin) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function onOff(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new UsageError(`--writes takes on or off, not "${String(value)}"`);
}

/** `--docker HOST=URL`, repeatable: the split only; the host validates the values (errors name the field). */
function dockerFlags(value: unknown): DockerEndpointEntry[] | undefined {
  const flags = (value as string[] | undefined) ?? [];
  if (flags.length === 0) return undefined;
  return flags.map((flag) => {
    const entry = parseDockerFlag(flag);
    if ('error' in entry) throw new UsageError(entry.error);
    return entry;
  });
}

export function describeAttached(c: AttachedCluster): string[] {
  return [
    c.name,
    c.writes ? 'attached, writes on' : 'attached, read-only',
    c.zk ?? c.masters.join(','),
    c.auth.kind === 'basic' ? `basic (${c.auth.username})` : c.auth.kind,
    c.tls?.fingerprint256 ? 'pinned' : c.tls?.caFile ? `CA ${c.tls.caFile}` : '-',
  ];
}

export const attach: Command = {
  name: 'attach',
  args: '<name> --master URL|zk://… [--user U --password-stdin|--password-file F | --token-stdin|--token-file F] [--ca FILE | --fingerprint SHA256] [--docker HOST=URL]… [--writes on|off]',
  summary: 'Attach a Mesos cluster Mesoscope did not start (read-only unless --writes on); with only --writes, change that.',
  help: `It is checked before it is saved: each master answers as Mesos does, a leader is found, and the credentials
open the operator API and the read-only endpoints. A wrong password says "401 Unauthorized" in words (exit 3);
an unreachable master, a server that is not Mesos, a certificate not trusted: each its own message (exit 3).
Secrets are read from stdin or a file, never from the command line, and kept in a 0600 file beside the
settings (secrets.json), never in settings.json. --docker names the Docker endpoint of the agents whose
hostname (as Mesos reports it) is HOST, or of every agent with *: unix:///path, tcp://host:port or
ssh://user@host[:port] (your ssh agent or default key; nothing stored). The doctor then has Docker
evidence (exit codes, OOM kills) for their task containers. The dashboard, ps, logs --task and doctor then work with
the name; run and kill only with --writes on; Docker actions (stop, fault…) never.`,
  example: `mesoscope attach prod --master http://m1:5050 --master http://m2:5050 --user ops --password-stdin <pw.txt
mesoscope attach lab --master zk://zk1:2181,zk2:2181/mesos
mesoscope attach lab --master http://m1:5050 --docker '*=ssh://ops@agents.lab'
mesoscope attach prod --writes on`,
  options: {
    master: { type: 'string', multiple: true },
    user: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
    'password-file': { type: 'string' },
    'token-stdin': { type: 'boolean', default: false },
    'token-file': { type: 'string' },
    ca: { type: 'string' },
    fingerprint: { type: 'string' },
    writes: { type: 'string' },
    docker: { type: 'string', multiple: true },
  },
  optionHelp: { master: 'URL', user: 'NAME', 'password-file': 'FILE', 'token-file': 'FILE', ca: 'FILE', fingerprint: 'SHA256', writes: 'on|off', docker: 'HOST=URL' },
  async run(ctx) {
    const name = need(ctx.positionals[0], '<name>');
    const api = await ctx.api();
    const masters = (ctx.values.master as string[] | undefined) ?? [];
    const writes = onOff(ctx.values.writes);
    const dockerEndpoints = dockerFlags(ctx.values.docker);
    if (masters.length === 0) {
      if (writes === undefined) throw new UsageError('--master URL (or zk://…) is needed to attach; --writes on|off to change an attached cluster');
      const changed = await api.call('attach.setWrites', { name, writes });
      if (ctx.json) printJson(changed);
      else console.log(`${name}: writes ${changed.writes ? 'on (Run and Kill allowed)' : 'off (read-only)'}`);
      return EXIT.ok;
    }
    const user = ctx.values.user as string | undefined;
    const password = await readSecret(ctx, 'password');
    const token = await readSecret(ctx, 'token');
    if (password !== undefined && token !== undefined) throw new UsageError('give a password or a token, not both');
    if (password !== undefined && !user) throw new UsageError('--user is needed with a password');
    if (user && password === undefined) throw new UsageError('--user needs --password-stdin or --password-file');
    const connection: ConnectionInput = {
      name,
      masters,
      auth: user ? { kind: 'basic', username: user, password: password ?? '' } : token !== undefined ? { kind: 'bearer', token } : { kind: 'none' },
      ...(ctx.values.ca || ctx.values.fingerprint ? { tls: { caFile: ctx.values.ca as string | undefined, fingerprint256: ctx.values.fingerprint as string | undefined } } : {}),
      writes: writes ?? false,
      ...(dockerEndpoints ? { dockerEndpoints } : {}),
    };
    const attached = await api.call('attach.add', { connection });
    if (ctx.json) printJson(attached);
    else {
      console.log(table(['NAME', 'STATE', 'MASTERS', 'AUTH', 'TLS'], [describeAttached(attached)]));
      console.log(`Secrets: ${attached.secretStorage.where}`);
      for (const e of attached.dockerEndpoints ?? []) console.log(`Docker endpoint for ${e.agent === '*' ? 'every agent' : `agent ${e.agent}`}: ${e.url}`);
    }
    return EXIT.ok;
  },
};

export const detach: Command = {
  name: 'detach',
  args: '<name>',
  summary: 'Forget an attached cluster and its secret (the cluster itself is untouched).',
  example: 'mesoscope detach prod',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const name = need(ctx.positionals[0], '<name>');
    await (await ctx.api()).call('attach.remove', { name });
    if (!ctx.json) console.log(`Detached ${name}.`);
    return EXIT.ok;
  },
};
