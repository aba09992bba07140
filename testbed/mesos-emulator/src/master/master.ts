// startMaster: one emulated mesos-master — flags, logging, HTTP, election, agents.
import { randomUUID } from 'node:crypto';
import { loadFlags } from '../common/flags';
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
import { AgentManager } from './agents';
import type { MasterContext } from './context';
import { groupElection, standaloneElection, type Election } from './election';
import { MASTER_FLAGS } from './flags';
import { addMasterRoutes } from './http';
import { MASTER_CAPABILITIES, type MasterInfo } from './model';
import { MasterState } from './state';
import { OperatorSubscribers } from './subscribers';
import { AgentMessenger } from './agent-messenger';
import { Allocator } from './allocator';
import { FrameworkManager } from './frameworks';
import { PartitionHandling } from './partition';
import { SchedulerStreams } from './scheduler-streams';
import { TaskManager } from './tasks';
import { TaskUpdates } from './task-updates';

export interface MasterOptions extends StartOptions {
  /** Run the election in this in-process group instead of ZooKeeper (tests). */
  group?: InMemoryGroup;
  /** Operator and scheduler heartbeat interval override in ms (tests); Mesos uses 15 s. */
  heartbeatMs?: number;
}

export interface MasterHandle {
  /** http://<advertised ip>:<port> */
  url: string;
  port: number;
  info: MasterInfo;
  isLeader(): boolean;
  /** Resolves once this master has detected a leader (itself or another). */
  leaderDetected(): Promise<MasterInfo>;
  stop(): Promise<void>;
}

export async function startMaster(opts: MasterOptions = {}): Promise<MasterHandle> {
  const flags = loadFlags(MASTER_FLAGS, argvOf(opts), opts.env ?? {});
  if (flags instanceof Error) throw new FlagsError(flags.message, 'mesos-master');

  const exit = (code: number, reason: string) => {
    if (opts.onExit) opts.onExit(code, reason);
    else throw new Error(reason);
  };

  const logger = new Logger({
    program: 'mesos-master',
    logDir: flags.str('log_dir'),
    quiet: flags.bool('quiet'),
    stderr: opts.stderr,
  });
  logger.info('logging.cpp:461', 'INFO level logging started!');
  logger.info('main.cpp:243', `Build: ${BUILD_DATE} by ${EMULATOR_BUILD_USER}`);
  logger.info('main.cpp:244', `Version: ${MESOS_VERSION}`);
  for (const [name, value] of flags.unknown) {
    logger.warning('main.cpp:240', `Accepting unknown flag '--${name}=${value}' (real Mesos would reject it)`);
  }

  // src/master/main.cpp's registry checks, with its exit messages.
  const zk = flags.str('zk');
  const registry = flags.str('registry');
  const fatal = (msg: string) => {
    logger.error('main.cpp:0', msg);
    logger.close();
    exit(1, msg);
    throw new Error(msg);
  };
  if (registry === 'replicated_log') {
    if (flags.str('work_dir') === undefined) fatal('--work_dir needed for replicated log based registry');
    if (zk !== undefined && flags.int('quorum') === undefined) {
      fatal('Need to specify --quorum for replicated log based registry when using ZooKeeper');
    }
  } else if (registry !== 'in_memory') {
    fatal(`'${registry}' is not a supported option for registry persistence`);
  }
  const pingTimeout = flags.duration('agent_ping_timeout')!;
  if (pingTimeout.secs < 1 || pingTimeout.secs > 15 * 60) {
    fatal(`Invalid value '${pingTimeout}' for --agent_ping_timeout: Must be within 1secs and 15mins`);
  }
  const parsedZk = zk === undefined || opts.group ? undefined : parseZkUrl(zk);
  if (parsedZk instanceof Error) fatal(`Failed to parse --zk: ${parsedZk.message}`);
  const zkUrl = parsedZk instanceof Error ? undefined : parsedZk;
  logger.info('main.cpp:345', `Using '${flags.str('allocator')}' allocator`);

  const bindIp = flags.str('ip') ?? '0.0.0.0';
  const router = new Router('master');
  if (flags.bool('authenticate_http_frameworks') && flags.str('http_framework_authenticators') === undefined) {
    fatal('Missing `--http_framework_authenticators` flag. This must be used in conjunction with `--authenticate_http_frameworks`');
  }
  if (flags.bool('authenticate_http_readonly') || flags.bool('authenticate_http_readwrite') || flags.bool('authenticate_http_frameworks')) {
    const file = flags.str('credentials');
    const flagOf = { readonly: 'authenticate_http_readonly', readwrite: 'authenticate_http_readwrite', scheduler: 'authenticate_http_frameworks' } as const;
    router.authenticate({
      role: 'mesos-master',
      credentials: file ? readCredentials(file) : new Map(),
      enabled: (realm) => flags.bool(flagOf[realm]),
      realmOf: (processId, endpoint) => {
        if (processId === 'metrics' || processId === 'files') return 'readonly';
        if (processId !== 'master') return null;
        if (endpoint === 'api/v1') return 'readwrite';
        if (endpoint === 'api/v1/scheduler') return 'scheduler';
        return ['state', 'state-summary', 'frameworks', 'slaves', 'tasks', 'flags'].includes(endpoint) ? 'readonly' : null;
      },
    });
  }
  const server = await listen(router, bindIp, flags.int('port') ?? 5050);

  const advertiseIp = flags.str('advertise_ip') ?? (bindIp === '0.0.0.0' ? defaultAdvertiseIp() : bindIp);
  const advertisePort = Number(flags.str('advertise_port') ?? server.port);
  const hostname = flags.str('hostname') ?? (flags.bool('hostname_lookup') ? lookupHostname(advertiseIp) : advertiseIp);
  const info: MasterInfo = {
    id: randomUUID(),
    ip: advertiseIp,
    port: advertisePort,
    pid: `master@${advertiseIp}:${advertisePort}`,
    hostname,
    version: MESOS_VERSION,
    capabilities: [...MASTER_CAPABILITIES],
  };

  logger.info('master.cpp:448', `Master ${info.id} (${hostname}) started on ${advertiseIp}:${advertisePort}`);
  logger.info('master.cpp:451', `Flags at startup: ${flags.startupLine()}`);
  if (isLoopback(bindIp)) {
    logger.warning(
      'master.cpp:454',
      '\n**************************************************\n' +
        "Master bound to loopback interface! Cannot communicate with remote schedulers or agents. You might want to set '--ip' flag to a routable IP address.\n" +
        '**************************************************',
    );
  }
  logger.info('master.cpp:502', 'Master allowing unauthenticated frameworks to register');
  logger.info('master.cpp:508', 'Master allowing unauthenticated agents to register');
  logger.info('master.cpp:515', 'Master allowing HTTP frameworks to register without authentication');

  const files = new Files();
  if (logger.infoLink) {
    files.attach(logger.infoLink, '/master/log');
    logger.info('master.cpp:2108', `Successfully attached file '${logger.infoLink}'`);
  }

  const state = new MasterState(info);
  const startTime = nowNs();
  let leader: MasterInfo | null = null;
  let electedTime: bigint | undefined;
  let allocationRuns = 0;
  let allocationTimer: NodeJS.Timeout | undefined;
  // Created below, once the context it reads exists.
  const subscriberRef: { current?: OperatorSubscribers } = {};
  const elected = () => leader !== null && leader.id === info.id;

  const ctx: MasterContext = {
    info,
    flags,
    state,
    startTime,
    logger,
    files,
    electedTime: () => electedTime,
    elected,
    leader: () => leader,
    operatorSubscribers: () => subscriberRef.current?.count ?? 0,
    allocationRuns: () => allocationRuns,
  };
  const subscribers = new OperatorSubscribers(ctx, opts.heartbeatMs);
  subscriberRef.current = subscribers;
  const agents = new AgentManager(ctx, pingTimeout, flags.int('max_agent_ping_timeouts') ?? 5);
  const streams = new SchedulerStreams(opts.heartbeatMs);
  const messenger = new AgentMessenger(ctx);
  const allocator = new Allocator(ctx, streams);
  const updates = new TaskUpdates(ctx, streams);
  const frameworks = new FrameworkManager(ctx, streams, allocator);
  const tasks = new TaskManager(ctx, updates, allocator, messenger);
  frameworks.tasks = tasks;
  agents.hooks = new PartitionHandling(ctx, updates, allocator, streams, messenger, frameworks);
  addMasterRoutes(router, ctx, agents, subscribers, { frameworks, tasks, allocator });

  let stopped = false;
  let resolveDetected!: (m: MasterInfo) => void;
  const detected = new Promise<MasterInfo>((r) => (resolveDetected = r));

  const onLeader = (next: MasterInfo | null) => {
    if (stopped) return;
    const wasElected = elected();
    leader = next;
    if (next) resolveDetected(next);
    if (elected()) {
      if (wasElected) return;
      electedTime = nowNs();
      logger.info('master.cpp:2174', 'Elected as the leading master!');
      logger.info('master.cpp:1670', 'Recovering from registrar');
      logger.info('registrar.cpp:383', 'Successfully fetched the registry (0B) in 797952ns');
      logger.info('registrar.cpp:416', 'Successfully recovered registrar');
      const reregisterTimeout = flags.duration('agent_reregister_timeout')!;
      logger.info('master.cpp:1823', `Recovered 0 agents from the registry (132B); allowing ${reregisterTimeout} for agents to reregister`);
      // The allocator runs every allocation_interval on the leader; only its metrics show it.
      allocationRuns++;
      allocationTimer = setInterval(() => {
        allocationRuns++;
        allocator.allocate();
      }, flags.duration('allocation_interval')!.ms);
      allocationTimer.unref();
      return;
    }
    logger.info(
      'master.cpp:2186',
      next ? `The newly elected leader is ${next.pid} with id ${next.id}` : 'No master is currently elected',
    );
    if (wasElected) {
      const msg = 'Lost leadership... committing suicide!';
      logger.error('master.cpp:2194', msg);
      void handle.stop().then(() => exit(1, msg));
    }
  };

  let election: Election;
  if (opts.group) {
    const group = opts.group;
    election = groupElection({
      self: info,
      makeGroup: () => group.connect(),
      logger,
      onSessionLost: () => undefined,
    });
  } else if (zkUrl) {
    const url = zkUrl;
    election = groupElection({
      self: info,
      makeGroup: () =>
        new ZkGroup({
          url,
          sessionTimeoutMs: flags.duration('zk_session_timeout')!.ms,
          logger,
          processAddress: `${advertiseIp}:${advertisePort}`,
        }),
      logger,
      onSessionLost: () => {
        if (!elected()) return;
        const msg = 'Lost leadership... committing suicide!';
        logger.error('master.cpp:1706', msg);
        void handle.stop().then(() => exit(1, msg));
      },
    });
  } else {
    election = standaloneElection(info);
  }
  election.start(onLeader);

  const handle: MasterHandle = {
    url: `http://${advertiseIp}:${advertisePort}`,
    port: server.port,
    info,
    isLeader: elected,
    leaderDetected: () => detected,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (allocationTimer) clearInterval(allocationTimer);
      subscribers.closeAll();
      frameworks.stop();
      agents.stop();
      await election.stop();
      await server.close();
      logger.close();
    },
  };
  return handle;
}
