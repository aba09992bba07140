import { readFile } from 'node:fs/promises';
import { endpointsText, portLabel, type HealthCheckSpec, type ServiceSpecInput, type ServiceView } from '@shared/services/schemas';
import { parse } from 'yaml';
import { type Command, type CommandContext, EXIT, intOption, need, numberOption, printJson, UsageError } from './command';
import { table } from './format';

/** `service ls|add|scale|restart|rm` and `endpoints`: the built-in framework's services. */

const cluster = (ctx: CommandContext) => need(ctx.positionals[0], '<cluster>');
const serviceId = (ctx: CommandContext) => need(ctx.positionals[1], '<service>');

function instancesLine(s: ServiceView): string {
  const running = s.instances.filter((i) => i.state === 'TASK_RUNNING').length;
  const healthy = s.instances.filter((i) => i.healthy === true).length;
  return `${running}/${s.spec.instances} running${s.spec.healthCheck ? `, ${healthy} healthy` : ''}`;
}

function printService(s: ServiceView): void {
  console.log(`${s.spec.id}: ${instancesLine(s)}${s.removing ? ' (removing)' : ''}`);
  const rows = s.instances.map((i) => [
    String(i.slot),
    i.taskId ?? '-',
    i.state,
    i.healthy === undefined ? '-' : i.healthy ? 'healthy' : 'unhealthy',
    i.host ? i.ports.map((p) => `${i.host}:${p}`).join(',') || i.host : '-',
  ]);
  if (rows.length) console.log(table(['#', 'TASK', 'STATE', 'HEALTH', 'ENDPOINTS'], rows));
}

export const serviceLs: Command = {
  name: 'service ls',
  args: '<cluster> [SERVICE]',
  summary: 'Services: instances, state, health, endpoints; with SERVICE, its history too.',
  example: 'mesoscope service ls demo\nmesoscope service ls demo redis --json',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const api = await ctx.api();
    const view = await api.call('services.list', { cluster: cluster(ctx) });
    const only = ctx.positionals[1];
    const services = only ? view.services.filter((s) => s.spec.id === only) : view.services;
    if (only && services.length === 0) {
      console.error(`No service ${only} on ${view.cluster}.`);
      return EXIT.notFound;
    }
    if (ctx.json) printJson(only ? services[0] : view);
    else if (services.length === 0) console.log('No services.');
    else
      for (const s of services) {
        printService(s);
        if (only) for (const e of s.history) console.log(`  ${new Date(e.at).toISOString()}  ${e.text}${e.verdict ? `  [doctor: ${e.verdict.title}]` : ''}`);
      }
    return EXIT.ok;
  },
};

/** `http:/health`, `tcp`, `cmd:redis-cli ping` as a health check, with the timing options. */
function healthOption(ctx: CommandContext): Partial<HealthCheckSpec> | undefined {
  const raw = ctx.values.health as string | undefined;
  if (raw === undefined) return undefined;
  const timing = {
    ...(numberOption(ctx.values, 'health-grace') !== undefined ? { gracePeriodSecs: numberOption(ctx.values, 'health-grace') } : {}),
    ...(numberOption(ctx.values, 'health-interval') !== undefined ? { intervalSecs: numberOption(ctx.values, 'health-interval') } : {}),
    ...(intOption(ctx.values, 'health-failures', 1) !== undefined ? { consecutiveFailures: intOption(ctx.values, 'health-failures', 1) } : {}),
  };
  if (raw === 'tcp') return { type: 'TCP', ...timing };
  if (raw.startsWith('http:')) return { type: 'HTTP', path: raw.slice(5) || '/', ...timing };
  if (raw.startsWith('cmd:')) return { type: 'COMMAND', command: raw.slice(4), ...timing };
  throw new UsageError(`--health takes http:/PATH, tcp or cmd:COMMAND, not "${raw}"`);
}

export const serviceAdd: Command = {
  name: 'service add',
  args: '<cluster> <service> [options] [-- command…]  |  <cluster> -f service.yaml',
  summary: 'Create a service: instances kept running, ports from the offers, a health check.',
  help: `Ports: --port 6379 maps a container port (BRIDGE, the default with --image); with --network HOST,
--port 0 asks for a host port the task finds in $PORT0. --health http:/PATH | tcp | cmd:COMMAND adds a
Mesos health check on the first port (--health-grace S, --health-interval S, --health-failures N).
-f reads the whole definition (JSON or YAML, the API's fields). Prints the service once created; its
instances are then launched on the first offers that hold them (see service ls).`,
  example: 'mesoscope service add demo redis --image redis:7 --instances 2 --port 6379 --health tcp\nmesoscope service add demo web --network HOST --port 0 -- \'python3 -m http.server $PORT0\'',
  clusterArg: true,
  options: {
    file: { type: 'string', short: 'f' },
    image: { type: 'string' },
    instances: { type: 'string' },
    cpus: { type: 'string' },
    mem: { type: 'string' },
    env: { type: 'string', multiple: true },
    port: { type: 'string', multiple: true },
    network: { type: 'string' },
    health: { type: 'string' },
    'health-grace': { type: 'string' },
    'health-interval': { type: 'string' },
    'health-failures': { type: 'string' },
  },
  optionHelp: { file: 'FILE', image: 'I', instances: 'N', cpus: 'N', mem: 'MB', env: 'K=V (repeatable)', port: 'P (repeatable)', network: 'BRIDGE|HOST', health: 'http:/PATH|tcp|cmd:CMD', 'health-grace': 'S', 'health-interval': 'S', 'health-failures': 'N' },
  async run(ctx) {
    let spec: ServiceSpecInput;
    const file = ctx.values.file as string | undefined;
    if (file) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      try {
        spec = parse(text) as ServiceSpecInput;
      } catch (err) {
        throw new UsageError(`${file} is neither JSON nor YAML: ${(err as Error).message}`);
      }
    } else {
      const env: Record<string, string> = {};
      for (const pair of (ctx.values.env as string[] | undefined) ?? []) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
        env[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      const network = ctx.values.network as string | undefined;
      if (network !== undefined && network !== 'BRIDGE' && network !== 'HOST') throw new UsageError(`--network takes BRIDGE or HOST, not "${network}"`);
      const ports = ((ctx.values.port as string[] | undefined) ?? []).map((p) => {
        if (!/^\d+$/.test(p)) throw new UsageError(`--port takes a port number, not "${p}"`);
        return network === 'HOST' ? {} : { containerPort: Number(p) };
      });
      const health = healthOption(ctx);
      spec = {
        id: serviceId(ctx),
        image: ctx.values.image as string | undefined,
        command: ctx.afterDashes.join(' '),
        ...(intOption(ctx.values, 'instances') !== undefined ? { instances: intOption(ctx.values, 'instances') } : {}),
        ...(numberOption(ctx.values, 'cpus') !== undefined ? { cpus: numberOption(ctx.values, 'cpus') } : {}),
        ...(numberOption(ctx.values, 'mem') !== undefined ? { mem: numberOption(ctx.values, 'mem') } : {}),
        env,
        ...(network ? { network } : {}),
        ports,
        ...(health ? { healthCheck: health as HealthCheckSpec } : {}),
      };
    }
    const api = await ctx.api();
    const created = await api.call('services.create', { cluster: cluster(ctx), spec });
    if (ctx.json) printJson(created);
    else console.log(`Created ${created.spec.id}: ${created.spec.instances} instance(s)${created.spec.ports.length ? `, ports ${created.spec.ports.map((_, i) => portLabel(created.spec, i)).join(', ')}` : ''}`);
    return EXIT.ok;
  },
};

export const serviceScale: Command = {
  name: 'service scale',
  args: '<cluster> <service> <N>',
  summary: 'Keep N instances running (0 keeps the definition).',
  example: 'mesoscope service scale demo redis 3',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const raw = need(ctx.positionals[2], '<N>');
    if (!/^\d+$/.test(raw)) throw new UsageError(`<N> is a whole number, not "${raw}"`);
    const view = await (await ctx.api()).call('services.scale', { cluster: cluster(ctx), id: serviceId(ctx), instances: Number(raw) });
    if (ctx.json) printJson(view);
    else console.log(`${view.spec.id}: scaled to ${view.spec.instances}`);
    return EXIT.ok;
  },
};

export const serviceRestart: Command = {
  name: 'service restart',
  args: '<cluster> <service>',
  summary: 'Kill every instance and launch each again at once.',
  example: 'mesoscope service restart demo redis',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const view = await (await ctx.api()).call('services.restart', { cluster: cluster(ctx), id: serviceId(ctx) });
    if (ctx.json) printJson(view);
    else console.log(`${view.spec.id}: restarting ${view.spec.instances} instance(s)`);
    return EXIT.ok;
  },
};

export const serviceRm: Command = {
  name: 'service rm',
  args: '<cluster> <service>',
  summary: 'Kill every instance and forget the service.',
  example: 'mesoscope service rm demo redis',
  clusterArg: true,
  options: {},
  async run(ctx) {
    await (await ctx.api()).call('services.remove', { cluster: cluster(ctx), id: serviceId(ctx) });
    if (!ctx.json) console.log(`Removed ${serviceId(ctx)}`);
    else printJson({ removed: serviceId(ctx) });
    return EXIT.ok;
  },
};

export const endpoints: Command = {
  name: 'endpoints',
  args: '<cluster>',
  summary: "Each service port's host:port per running instance (Marathon's /v1/endpoints).",
  help: 'One line per service port, tab-separated: the service, the port (its name or container port), then\neach running instance\'s host:port. --json adds each endpoint\'s task, instance and health.',
  example: 'mesoscope endpoints demo\nredis-cli -h "$(mesoscope endpoints demo | cut -f3 | cut -d: -f1)" …',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const list = await (await ctx.api()).call('services.endpoints', { cluster: cluster(ctx) });
    if (ctx.json) printJson(list);
    else if (list.length) console.log(endpointsText(list));
    return EXIT.ok;
  },
};

export const SERVICE_COMMANDS = [serviceLs, serviceAdd, serviceScale, serviceRestart, serviceRm, endpoints];
