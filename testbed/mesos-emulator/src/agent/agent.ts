// startAgent: one emulated mesos-agent — flags, checks, logging, HTTP, registration.
import fs from 'node:fs';
import path from 'node:path';
import { attributesToString, parseAttributes, type Attribute } from '../common/attributes';
import { loadFlags } from '../common/flags';
import { resourcesLogJson, parseResources, withDefaultResources, type Resource } from '../common/resources';
import { toJson } from '../common/json';
import { defaultAdvertiseIp, isLoopback, lookupHostname } from '../common/net';
import { argvOf, FlagsError, type StartOptions } from '../common/options';
import { nowNs } from '../common/time';
import { Files } from '../files/files';
import { readCredentials } from '../http/authentication';
import { Router } from '../http/router';
import { listen } from '../http/server';
import { Logger } from '../logging/glog';
import { BUILD_DATE, EMULATOR_BUILD_USER, MESOS_VERSION } from '../version';
import type { InMemoryGroup } from '../zk/group';
import { parseZkUrl } from '../zk/url';
import { ZkGroup } from '../zk/zk-group';
import { checkpointInfo, compatible, latestSlavePath, metaDir, recoverInfo } from './checkpoint';
import type { AgentContext } from './context';
import { groupDetector, standaloneDetector, type MasterDetector } from './detector';
import { AGENT_FLAGS } from './flags';
import { addAgentRoutes, AGENT_PROCESS } from './http';
import { Registration } from './registration';
import { parsePid } from '../common/net';
import { MSG, postMessage } from '../internal/messages';
import { DockerApi } from './docker/api';
import { killOrphans } from './docker/orphans';
import { recoverTasks, terminateLost } from './tasks/recovery';
import { TaskCheckpoint } from './tasks/sandbox';
import { StatusUpdateManager } from './tasks/status-updates';
import { TaskManager, uuidText } from './tasks/task-manager';

export interface AgentOptions extends StartOptions {
  /** Detect the leader in this in-process group instead of --master (tests). */
  group?: InMemoryGroup;
}

export interface AgentHandle {
  url: string;
  port: number;
  pid: string;
  agentId(): string | undefined;
  registered(): boolean;
  /** Resolves with the agent id once registered with a master. */
  waitRegistered(timeoutMs?: number): Promise<string>;
  /** Attaches a real path at a virtual path of /files, as the agent does for sandboxes. */
  attach(realPath: string, virtualPath: string): void;
  /** SIGUSR1: unregister from the master, then stop. */
  unregister(): Promise<void>;
  stop(): Promise<void>;
}

/** `/sbin/init` is systemd but the runtime directory is missing (docs/mesos/api.md §0.20). */
function systemdProblem(runtimeDir: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    if (!fs.realpathSync('/sbin/init').includes('systemd')) return undefined;
  } catch {
    return undefined;
  }
  if (fs.existsSync(runtimeDir)) return undefined;
  return `Failed to initialize systemd: Failed to locate systemd runtime directory: ${runtimeDir}`;
}

export async function startAgent(opts: AgentOptions = {}): Promise<AgentHandle> {
  const flags = loadFlags(AGENT_FLAGS, argvOf(opts), opts.env ?? {});
  if (flags instanceof Error) throw new FlagsError(flags.message, 'mesos-agent');
  const exit = (code: number, reason: string) => {
    if (opts.onExit) opts.onExit(code, reason);
    else if (code !== 0) throw new Error(reason);
  };

  const logger = new Logger({ program: 'mesos-agent', logDir: flags.str('log_dir'), quiet: flags.bool('quiet'), stderr: opts.stderr });
  const fatal = (msg: string): never => {
    logger.error('main.cpp:0', msg);
    logger.close();
    exit(1, msg);
    throw new Error(msg);
  };
  logger.info('logging.cpp:461', 'INFO level logging started!');
  logger.info('main.cpp:545', `Build: ${BUILD_DATE} by ${EMULATOR_BUILD_USER}`);
  logger.info('main.cpp:546', `Version: ${MESOS_VERSION}`);
  for (const [name, value] of flags.unknown) {
    logger.warning('main.cpp:540', `Accepting unknown flag '--${name}=${value}' (real Mesos would reject it)`);
  }

  if (flags.bool('systemd_enable_support')) {
    const problem = systemdProblem(flags.str('systemd_runtime_directory')!);
    if (problem) fatal(problem);
  }

  const workDir = path.resolve(flags.str('work_dir')!);
  fs.mkdirSync(path.join(workDir, 'meta', 'slaves'), { recursive: true });
  fs.mkdirSync(path.join(workDir, 'slaves'), { recursive: true });

  const parsedResources = parseResources(flags.str('resources') ?? '');
  if (parsedResources instanceof Error) fatal(`Failed to determine agent resources: ${parsedResources.message}`);
  const resources: Resource[] = withDefaultResources(parsedResources as Resource[], workDir);
  const parsedAttributes = parseAttributes(flags.str('attributes') ?? '');
  if (parsedAttributes instanceof Error) fatal(`Failed to parse attributes: ${parsedAttributes.message}`);
  const attributes = parsedAttributes as Attribute[];

  const master = flags.str('master')!;
  const zkUrl = master.startsWith('zk://') || master.startsWith('file://') ? parseZkUrl(master) : undefined;
  if (zkUrl instanceof Error) fatal(`Failed to create a master detector: ${zkUrl.message}`);

  logger.info('resolver.cpp:69', 'Creating default secret resolver');
  const isolation = flags.str('isolation')!.split(',').filter(Boolean);
  logger.info('containerizer.cpp:325', `Using isolation { ${['environment_secret', 'network/cni', 'filesystem/posix', ...isolation].join(', ')} }`);

  const bindIp = flags.str('ip') ?? '0.0.0.0';
  const router = new Router(AGENT_PROCESS);
  if (flags.bool('authenticate_http_readonly') || flags.bool('authenticate_http_readwrite')) {
    const file = flags.str('http_credentials');
    router.authenticate({
      role: 'mesos-agent',
      credentials: file ? readCredentials(file) : new Map(),
      enabled: (realm) => flags.bool(realm === 'readonly' ? 'authenticate_http_readonly' : 'authenticate_http_readwrite'),
      realmOf: (processId, endpoint) => {
        if (processId === 'metrics' || processId === 'files') return 'readonly';
        if (processId !== AGENT_PROCESS) return null;
        if (endpoint === 'api/v1') return 'readwrite';
        return ['state', 'flags', 'containers', 'monitor/statistics'].includes(endpoint) ? 'readonly' : null;
      },
    });
  }
  const server = await listen(router, bindIp, flags.int('port') ?? 5051);
  const advertiseIp = flags.str('advertise_ip') ?? (bindIp === '0.0.0.0' ? defaultAdvertiseIp() : bindIp);
  const advertisePort = Number(flags.str('advertise_port') ?? server.port);
  const hostname = flags.str('hostname') ?? (flags.bool('hostname_lookup') ? lookupHostname(advertiseIp) : advertiseIp);
  const pid = `${AGENT_PROCESS}@${advertiseIp}:${advertisePort}`;

  logger.info('slave.cpp:283', `Mesos agent started on (1)@${advertiseIp}:${advertisePort}`);
  logger.info('slave.cpp:284', `Flags at startup: ${flags.startupLine()}`);
  if (isLoopback(bindIp)) {
    logger.warning(
      'slave.cpp:287',
      '\n**************************************************\n' +
        "Agent bound to loopback interface! Cannot communicate with remote master(s). You might want to set '--ip' flag to a routable IP address.\n" +
        '**************************************************',
    );
  }
  logger.info('slave.cpp:631', `Agent resources: ${toJson(resourcesLogJson(resources))}`);
  logger.info('slave.cpp:639', `Agent attributes: ${attributesToString(attributes)}`);
  logger.info('slave.cpp:648', `Agent hostname: ${hostname}`);

  // Recovery: a checkpointed identity makes this a reregistration with the same agent id.
  const recoveryStarted = performance.now();
  logger.info('state.cpp:68', `Recovering state from '${metaDir(workDir)}'`);
  const recovered = recoverInfo(workDir);
  const current = { hostname, port: advertisePort, resources, attributes };
  if (recovered && !compatible(recovered, current)) {
    fatal(
      'Failed to perform recovery: Incompatible agent info detected.\n' +
        '------------------------------------------------------------\n' +
        `Old agent info:\n${JSON.stringify({ ...recovered })}\n` +
        '------------------------------------------------------------\n' +
        `New agent info:\n${JSON.stringify({ id: recovered.id, ...current })}\n` +
        '------------------------------------------------------------\n' +
        'To remedy this do as follows:\n' +
        `Step 1: rm -f ${latestSlavePath(workDir)}\n` +
        "        This ensures agent doesn't recover old live executors.\n" +
        'Step 2: Restart the agent.',
    );
  }
  let agentId = recovered?.id;
  logger.info('slave.cpp:7753', `Finished recovering checkpointed state from '${metaDir(workDir)}', beginning agent recovery`);

  const files = new Files();
  if (logger.infoLink) files.attach(logger.infoLink, '/slave/log');

  let detector: MasterDetector;
  if (opts.group) {
    const group = opts.group;
    detector = groupDetector(() => group.connect(), logger);
  } else if (zkUrl && !(zkUrl instanceof Error)) {
    const url = zkUrl;
    detector = groupDetector(
      () =>
        new ZkGroup({
          url,
          sessionTimeoutMs: flags.duration('zk_session_timeout')!.ms,
          logger,
          processAddress: `${advertiseIp}:${advertisePort}`,
        }),
      logger,
    );
  } else {
    detector = standaloneDetector(master, logger);
  }

  const waiters = new Set<(id: string) => void>();
  let stopped = false;
  const registration: Registration = new Registration({
    logger,
    detector,
    selfPid: pid,
    backoffFactor: flags.duration('registration_backoff_factor')!,
    slaveInfo: () => ({ hostname, port: advertisePort, resources, attributes, checkpoint: true }),
    agentId: () => agentId,
    onRegistered: (id) => {
      if (agentId !== id) {
        agentId = id;
        checkpointInfo(workDir, { id, ...current });
      }
      updates.resume();
      for (const w of waiters) w(id);
      waiters.clear();
    },
    onDisconnected: () => updates.pause(),
    report: () => tasks.report(),
    onShutdown: () => {
      void handle.stop().then(() => exit(0, 'Agent asked to shut down by the master'));
    },
  });

  const ctx: AgentContext = {
    flags,
    logger,
    files,
    pid,
    hostname,
    port: advertisePort,
    resources,
    attributes,
    startTime: nowNs(),
    recoveryTimeSecs: 0,
    agentId: () => agentId,
    masterPid: () => registration.masterPid,
    registered: () => registration.registered,
  };
  const docker = new DockerApi(flags.str('docker_socket')!);
  const tasks = new TaskManager(ctx, docker, new TaskCheckpoint(workDir, () => agentId ?? ''), advertiseIp);
  const updates = new StatusUpdateManager({
    send: async (msg) => {
      const masterPid = registration.masterPid;
      const to = masterPid ? parsePid(masterPid) : undefined;
      if (!to || !registration.registered) return false;
      logger.info('slave.cpp:6538', `Forwarding the update ${msg.status.state} (Status UUID: ${uuidText(msg.status.uuid)}) for task ${msg.status.task_id.value} of framework ${msg.framework_id} to ${masterPid}`);
      return postMessage(to, MSG.STATUS_UPDATE, pid, msg, 5000).then(
        (r) => r.status === 202,
        () => false,
      );
    },
    latestState: (fw, task) => tasks.latestState(fw, task),
    acknowledged: (fw, task, status) => tasks.acknowledged(fw, task, status),
    log: (source, message, warning) => (warning ? logger.warning(source, message) : logger.info(source, message)),
  });
  tasks.updates = updates;
  ctx.tasks = tasks;
  addAgentRoutes(router, ctx, registration);

  // Task recovery, orphans, then registration (Slave::recover → _recover → registration).
  const recoveredTasks = agentId ? recoverTasks(tasks, new TaskCheckpoint(workDir, () => agentId ?? ''), logger) : { known: new Set<string>(), lost: [] };
  const containerizers = (flags.str('containerizers') ?? '').split(',');
  if (containerizers.includes('docker') && !flags.bool('synthetic_tasks')) {
    logger.info('docker.cpp:892', 'Recovering Docker containers');
    if (flags.bool('docker_kill_orphans')) {
      await killOrphans(docker, recoveredTasks.known, logger).catch((e: unknown) =>
        logger.error('docker.cpp:905', `Failed to list Docker containers: ${(e as Error).message}`),
      );
    }
  }
  const finishRecovery = () => {
    logger.info('slave.cpp:8388', 'Finished recovery');
    ctx.recoveryTimeSecs = (performance.now() - recoveryStarted) / 1000;
    registration.start();
  };
  if (recoveredTasks.lost.length > 0) {
    // Executors get --executor_reregistration_timeout to reconnect; emulated ones died with the old process.
    const wait = flags.duration('executor_reregistration_timeout')!.ms;
    setTimeout(() => void terminateLost(tasks, docker, logger, recoveredTasks.lost).finally(finishRecovery), wait).unref();
  } else {
    finishRecovery();
  }

  const handle: AgentHandle = {
    url: `http://${advertiseIp}:${advertisePort}`,
    port: server.port,
    pid,
    agentId: () => agentId,
    registered: () => registration.registered,
    waitRegistered(timeoutMs = 15_000) {
      if (registration.registered && agentId) return Promise.resolve(agentId);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(done);
          reject(new Error(`agent ${pid} did not register within ${timeoutMs}ms`));
        }, timeoutMs);
        const done = (id: string) => {
          clearTimeout(timer);
          resolve(id);
        };
        waiters.add(done);
      });
    },
    attach: (realPath, virtualPath) => files.attach(realPath, virtualPath),
    async unregister() {
      logger.info('slave.cpp:1047', `Received SIGUSR1 signal from user ${process.getuid?.() ?? 0}; unregistering and shutting down`);
      await registration.unregister();
      await handle.stop();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      tasks.stop();
      await registration.stop();
      await server.close();
      logger.close();
    },
  };
  return handle;
}
