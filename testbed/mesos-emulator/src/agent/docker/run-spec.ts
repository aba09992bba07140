// `docker run` for a DOCKER task as the docker containerizer and executor build it
// (src/docker/docker.cpp, docs/mesos/api.md §3.4, §7.4): name mesos-<ContainerID>, the sandbox bound at
// --sandbox_directory, MESOS_SANDBOX, `--cpu-shares` and `--memory` from the resources, the
// network mode, port mappings and parameters; `shell: true` replaces the entrypoint with /bin/sh -c.
import { commandArgv, commandEnv } from '../tasks/executor';

type Obj = Record<string, unknown>;

/** src/slave/constants.hpp: CPU_SHARES_PER_CPU, MIN_CPU_SHARES, MIN_MEMORY. */
const CPU_SHARES_PER_CPU = 1024;
const MIN_CPU_SHARES = 2;
const MIN_MEMORY_BYTES = 32 * 1024 * 1024;

export interface RunSpecInput {
  task: Obj;
  containerId: string;
  sandbox: string;
  sandboxMount: string;
}

function scalar(resources: unknown, name: string): number | undefined {
  if (!Array.isArray(resources)) return undefined;
  let sum: number | undefined;
  for (const r of resources as Obj[]) {
    if (r.name === name && r.type === 'SCALAR') sum = (sum ?? 0) + Number((r.scalar as { value?: unknown } | undefined)?.value ?? 0);
  }
  return sum;
}

export function containerName(containerId: string): string {
  return `mesos-${containerId}`;
}

export function runSpec({ task, containerId, sandbox, sandboxMount }: RunSpecInput): { name: string; spec: Obj; ignored: string[] } {
  const container = (task.container ?? {}) as Obj;
  const docker = (container.docker ?? {}) as Obj;
  const command = task.command as Obj | undefined;
  const name = containerName(containerId);
  const ignored: string[] = [];

  const env = [`MESOS_SANDBOX=${sandboxMount}`, `MESOS_CONTAINER_NAME=${name}`, ...commandEnv(command)];
  const labels: Record<string, string> = {};
  for (const l of ((task.labels as { labels?: Array<{ key?: string; value?: string }> } | undefined)?.labels ?? [])) {
    if (l.key) labels[l.key] = l.value ?? '';
  }
  const binds = [`${sandbox}:${sandboxMount}`];
  for (const v of (container.volumes as Obj[] | undefined) ?? []) {
    const host = typeof v.host_path === 'string' ? (v.host_path.startsWith('/') ? v.host_path : `${sandbox}/${v.host_path}`) : undefined;
    if (host && typeof v.container_path === 'string') binds.push(`${host}:${v.container_path}:${v.mode === 'RO' ? 'ro' : 'rw'}`);
  }

  const networkMode = { HOST: 'host', BRIDGE: 'bridge', NONE: 'none' } as Record<string, string>;
  let network = networkMode[String(docker.network ?? 'HOST')];
  if (docker.network === 'USER') {
    network = String(((container.network_infos as Obj[] | undefined)?.[0]?.name as string | undefined) ?? 'bridge');
  }
  const portBindings: Record<string, Array<{ HostPort: string }>> = {};
  const exposed: Record<string, object> = {};
  for (const m of (docker.port_mappings as Obj[] | undefined) ?? []) {
    const key = `${String(m.container_port)}/${String(m.protocol ?? 'tcp')}`;
    portBindings[key] = [{ HostPort: String(m.host_port) }];
    exposed[key] = {};
  }
  let user: string | undefined;
  for (const p of (docker.parameters as Array<{ key?: string; value?: string }> | undefined) ?? []) {
    const value = p.value ?? '';
    if (p.key === 'env' || p.key === 'e') env.push(value);
    else if (p.key === 'label' || p.key === 'l') {
      const eq = value.indexOf('=');
      labels[eq < 0 ? value : value.slice(0, eq)] = eq < 0 ? '' : value.slice(eq + 1);
    } else if (p.key === 'net' || p.key === 'network') network = value;
    else if (p.key === 'volume' || p.key === 'v') binds.push(value);
    else if (p.key === 'user' || p.key === 'u') user = value;
    else ignored.push(`--${String(p.key)}=${value}`);
  }

  const argv = commandArgv(command);
  const shell = command?.shell !== false;
  const cpus = scalar(task.resources, 'cpus');
  const memMb = scalar(task.resources, 'mem');
  const memory = memMb === undefined ? undefined : Math.max(MIN_MEMORY_BYTES, Math.round(memMb * 1024 * 1024));
  const spec: Obj = {
    Image: docker.image,
    ...(shell ? { Entrypoint: ['/bin/sh', '-c'], Cmd: [argv[2] ?? ''] } : argv.length > 0 ? { Cmd: argv } : {}),
    Env: env,
    Labels: labels,
    ...(user ? { User: user } : {}),
    ExposedPorts: exposed,
    HostConfig: {
      Binds: binds,
      NetworkMode: network,
      PortBindings: portBindings,
      Privileged: docker.privileged === true,
      ...(cpus === undefined ? {} : { CpuShares: Math.max(MIN_CPU_SHARES, Math.round(cpus * CPU_SHARES_PER_CPU)) }),
      // Swap capped too, so an OOM is an OOM on hosts with swap (docs/mesos/faults.md row 3).
      ...(memory === undefined ? {} : { Memory: memory, MemorySwap: memory }),
    },
  };
  return { name, spec, ignored };
}
