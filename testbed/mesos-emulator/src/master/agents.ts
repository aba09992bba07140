// The master's side of agent membership: (re)registration, unregistration, the link that
// tells when an agent process dies, the health-check pings, and marking agents
// unreachable or gone (src/master/master.cpp). Log lines copy Mesos' wording.
import type http from 'node:http';
import type { Duration } from '../common/durations';
import { parsePid, type Pid } from '../common/net';
import { resourcesToString } from '../common/resources';
import { nowNs } from '../common/time';
import { jsonResponse, textResponse, type HttpResponse } from '../http/responses';
import { STREAMED, type HttpRequest } from '../http/router';
import {
  FROM_HEADER,
  MSG,
  postMessage,
  type RegisterMessage,
  type RegisteredReply,
  type ShutdownMessage,
} from '../internal/messages';
import type { MasterContext } from './context';
import { AGENT_CAPABILITIES, type AgentInfo, type AgentRecord, type UnreachableAgent } from './model';
import type { Counter } from './state';
import { PingObserver } from './ping-observer';

const describe = (a: { info: AgentInfo; pid: string }) => `${a.info.id} at ${a.pid} (${a.info.hostname})`;

/** What membership changes do to tasks and offers (partition.ts). */
export interface AgentHooks {
  disconnected(agent: AgentRecord): void;
  unreachable(agent: UnreachableAgent): void;
  removed(agent: AgentRecord, reason: string): void;
  gone(agentId: string): void;
  reregistered(agent: AgentRecord, msg: RegisterMessage): void;
}

export class AgentManager {
  private readonly observers = new Map<string, PingObserver>();
  private readonly links = new Map<string, http.ServerResponse>();
  hooks: AgentHooks | undefined;

  constructor(
    private readonly ctx: MasterContext,
    private readonly pingTimeout: Duration,
    private readonly maxPingTimeouts: number,
  ) {}

  /** Drops every agent connection (on stop, or when this master stops leading). */
  stop(): void {
    for (const o of this.observers.values()) o.stop();
    this.observers.clear();
    for (const res of this.links.values()) res.destroy();
    this.links.clear();
  }

  private fromPid(req: HttpRequest): Pid | undefined {
    const header = req.headers[FROM_HEADER];
    return typeof header === 'string' ? parsePid(header) : undefined;
  }

  private parse(req: HttpRequest): RegisterMessage | undefined {
    try {
      return JSON.parse(req.body.toString('utf8')) as RegisterMessage;
    } catch {
      return undefined;
    }
  }

  private dropNotElected(name: string): HttpResponse {
    this.ctx.state.inc('dropped_messages');
    this.ctx.logger.info('master.cpp:1991', `Dropping '${name}' message since not elected yet`);
    return textResponse(503, 'Not elected');
  }

  private reply(agentId: string): HttpResponse {
    const body: RegisteredReply = {
      slave_id: agentId,
      master_id: this.ctx.info.id,
      total_ping_timeout_seconds: this.pingTimeout.secs * this.maxPingTimeouts,
    };
    return jsonResponse(body as unknown as Record<string, number | string>);
  }

  private shutdownReply(message: string): HttpResponse {
    const body: ShutdownMessage = { message };
    return { ...jsonResponse(body as unknown as Record<string, string>), status: 403 };
  }

  handleRegister = (req: HttpRequest): HttpResponse => {
    const { state, logger } = this.ctx;
    state.inc('messages_register_slave');
    if (!this.ctx.elected()) return this.dropNotElected(MSG.REGISTER);
    const from = this.fromPid(req);
    const msg = this.parse(req);
    if (!from || !msg?.slave) return textResponse(400, 'Malformed RegisterSlaveMessage');
    const pid = `${from.id}@${from.ip}:${from.port}`;
    logger.info('master.cpp:6264', `Received register agent message from ${pid} (${msg.slave.hostname})`);

    const existing = state.findAgentByPid(pid);
    if (existing) {
      if (existing.connected) {
        logger.info('master.cpp:6373', `Agent ${describe(existing)} already registered, resending acknowledgement`);
        return this.reply(existing.info.id);
      }
      logger.info('master.cpp:6357', `Removing old disconnected agent ${describe(existing)} because a registration attempt occurred`);
      this.removeAgent(existing, 'a new agent registered at the same address', 'slave_removals/reason_registered');
    }

    const id = state.newAgentId();
    logger.info('master.cpp:6443', `Registering agent at ${pid} (${msg.slave.hostname}) with id ${id}`);
    this.registrarUpdate();
    const agent: AgentRecord = {
      info: { ...msg.slave, id, checkpoint: msg.slave.checkpoint !== false },
      pid,
      version: msg.version,
      capabilities: msg.capabilities?.length ? msg.capabilities : [...AGENT_CAPABILITIES],
      registeredTime: nowNs(),
      connected: true,
      active: true,
      deactivated: false,
    };
    state.addAgent(agent);
    state.inc('slave_registrations');
    const res = resourcesToString(agent.info.resources);
    logger.info('hierarchical.cpp:1059', `Added agent ${id} (${agent.info.hostname}) with ${res} (offered or allocated: {})`);
    logger.info('master.cpp:6536', `Registered agent ${describe(agent)} with ${res}`);
    this.observe(agent);
    this.agentUpdate(agent);
    return this.reply(id);
  };

  handleReregister = (req: HttpRequest): HttpResponse => {
    const { state, logger } = this.ctx;
    state.inc('messages_reregister_slave');
    if (!this.ctx.elected()) return this.dropNotElected(MSG.REREGISTER);
    const from = this.fromPid(req);
    const msg = this.parse(req);
    if (!from || !msg?.slave?.id) return textResponse(400, 'Malformed ReregisterSlaveMessage');
    const pid = `${from.id}@${from.ip}:${from.port}`;
    const id = msg.slave.id;

    if (state.agents.gone.has(id)) {
      logger.warning('master.cpp:6603', `Refusing re-registration of agent at ${pid} (${msg.slave.hostname}) because it is already marked gone`);
      return this.shutdownReply('Agent has been marked gone');
    }
    logger.info('master.cpp:6625', `Received reregister agent message from agent ${id} at ${pid} (${msg.slave.hostname})`);

    const known = state.agents.registered.get(id);
    const previous = known ?? state.agents.unreachable.get(id);
    if (previous) {
      const oldIp = parsePid(previous.pid)?.ip;
      if (oldIp !== from.ip || previous.info.hostname !== msg.slave.hostname) {
        const message =
          `Agent attempted to reregister with different IP / hostname; ` +
          `expected '${oldIp} (${previous.info.hostname})' got '${from.ip} (${msg.slave.hostname})'`;
        logger.warning('master.cpp:6958', `Agent ${id} at ${pid} (${msg.slave.hostname}) attempted to reregister with different IP / hostname; expected '${oldIp} (${previous.info.hostname})' got '${from.ip} (${msg.slave.hostname})'; shutting it down`);
        return this.shutdownReply(message);
      }
    }

    const now = nowNs();
    this.registrarUpdate();
    let agent: AgentRecord;
    if (known) {
      // A known agent reconnecting (e.g. after its link broke): same record, back online.
      known.pid = pid;
      known.connected = true;
      known.active = !known.deactivated;
      known.reregisteredTime = now;
      known.version = msg.version;
      agent = known;
    } else {
      const wasUnreachable = state.agents.unreachable.has(id);
      agent = {
        info: { ...msg.slave, id, checkpoint: msg.slave.checkpoint !== false },
        pid,
        version: msg.version,
        capabilities: msg.capabilities?.length ? msg.capabilities : [...AGENT_CAPABILITIES],
        registeredTime: now,
        reregisteredTime: now,
        connected: true,
        active: true,
        deactivated: false,
      };
      // Mesos quirk: the AGENT_ADDED sent when an unreachable agent comes back has no
      // `agent_info.checkpoint` (transcripts/fault-pause-legacy/operator.events.jsonl).
      state.addAgent(agent, { omitCheckpoint: wasUnreachable });
    }
    state.inc('slave_reregistrations');
    logger.info('master.cpp:7185', `Re-registered agent ${describe(agent)} with ${resourcesToString(agent.info.resources)}`);
    this.hooks?.reregistered(agent, msg);
    this.observe(agent);
    this.agentUpdate(agent);
    return this.reply(id);
  };

  handleUnregister = (req: HttpRequest): HttpResponse => {
    const { state, logger } = this.ctx;
    state.inc('messages_unregister_slave');
    if (!this.ctx.elected()) return this.dropNotElected(MSG.UNREGISTER);
    const from = this.fromPid(req);
    const agent = from ? state.findAgentByPid(`${from.id}@${from.ip}:${from.port}`) : undefined;
    if (agent) {
      logger.info('master.cpp:6747', `Asked to unregister agent ${describe(agent)}`);
      this.removeAgent(agent, 'the agent unregistered', 'slave_removals/reason_unregistered');
    }
    return { status: 202, headers: [['Content-Length', '0']], body: Buffer.alloc(0) };
  };

  /** Holds the agent's link open; its close is libprocess's `exited` event. */
  handleLink = (req: HttpRequest): HttpResponse | typeof STREAMED => {
    const from = this.fromPid(req);
    const agent = from ? this.ctx.state.findAgentByPid(`${from.id}@${from.ip}:${from.port}`) : undefined;
    if (!agent || !this.ctx.elected()) return textResponse(404, 'Unknown agent');
    const id = agent.info.id;
    this.links.get(id)?.destroy();
    this.links.set(id, req.res);
    req.res.writeHead(200, { 'Content-Type': 'text/plain' });
    req.res.flushHeaders();
    req.raw.socket.setKeepAlive(true, 1000);
    req.res.on('close', () => {
      if (this.links.get(id) !== req.res) return;
      this.links.delete(id);
      this.exited(id);
    });
    return STREAMED;
  };

  /** Master::exited: the agent's process went away; it stays registered but disconnected. */
  private exited(id: string): void {
    const agent = this.ctx.state.agents.registered.get(id);
    if (!agent || !agent.connected) return;
    this.ctx.logger.info('master.cpp:1301', `Agent ${describe(agent)} disconnected`);
    this.ctx.logger.info('master.cpp:3463', `Disconnecting agent ${describe(agent)}`);
    agent.connected = false;
    agent.active = false;
    this.hooks?.disconnected(agent);
  }

  /** `_removeSlave`: unregistered or replaced agents (AGENT_REMOVED). */
  private removeAgent(agent: AgentRecord, reason: string, counter: Counter): void {
    const { state, logger } = this.ctx;
    logger.info('master.cpp:11045', `Removing agent ${describe(agent)}: ${reason}`);
    this.forget(agent.info.id);
    this.hooks?.removed(agent, reason);
    state.removeAgent(agent.info.id);
    state.inc('slave_removals');
    state.inc(counter);
    logger.info('hierarchical.cpp:1108', `Removed agent ${agent.info.id}`);
  }

  private markUnreachable(id: string): void {
    const { state, logger } = this.ctx;
    const agent = state.agents.registered.get(id);
    if (!agent) return;
    const reason = 'health check timed out';
    logger.info('master.cpp:8671', `Marking agent ${agent.info.id} (${agent.info.hostname}) unreachable: ${reason}`);
    state.inc('slave_unreachable_scheduled');
    this.registrarUpdate();
    this.forget(id);
    state.markUnreachable(id, nowNs());
    const record = state.agents.unreachable.get(id);
    if (record) this.hooks?.unreachable(record);
    state.inc('slave_unreachable_completed');
    state.inc('slave_removals');
    state.inc('slave_removals/reason_unhealthy');
    logger.info('master.cpp:8714', `Marked agent ${agent.info.id} (${agent.info.hostname}) unreachable: ${reason}`);
    logger.info('hierarchical.cpp:1232', `Removed all filters for agent ${agent.info.id}`);
    logger.info('hierarchical.cpp:1108', `Removed agent ${agent.info.id}`);
  }

  /** MARK_AGENT_GONE. Returns false when the agent is unknown. */
  markGone(id: string): boolean {
    const { state, logger } = this.ctx;
    logger.info('http.cpp:4946', `Marking agent '${id}' as gone`);
    if (state.agents.gone.has(id)) {
      logger.warning('http.cpp:4951', `Not marking agent '${id}' as gone because it has already transitioned to gone`);
      return true;
    }
    const agent = state.agents.registered.get(id);
    if (!agent && !state.agents.unreachable.has(id) && !state.agents.recovered.has(id)) return false;
    this.registrarUpdate();
    if (agent) {
      const pid = parsePid(agent.pid);
      if (pid) {
        const body: ShutdownMessage = { message: 'Agent has been marked gone' };
        postMessage(pid, MSG.SHUTDOWN, this.ctx.info.pid, body, 5000).catch(() => undefined);
      }
      this.forget(id);
    }
    state.markGone(id, nowNs());
    this.hooks?.gone(id);
    return true;
  }

  private forget(id: string): void {
    this.observers.get(id)?.stop();
    this.observers.delete(id);
    const link = this.links.get(id);
    this.links.delete(id);
    link?.destroy();
  }

  private observe(agent: AgentRecord): void {
    this.observers.get(agent.info.id)?.stop();
    const pid = parsePid(agent.pid);
    if (!pid) return;
    const observer = new PingObserver(this.ctx, agent, pid, this.pingTimeout.ms, this.maxPingTimeouts, () =>
      this.markUnreachable(agent.info.id),
    );
    this.observers.set(agent.info.id, observer);
    observer.start();
  }

  private registrarUpdate(): void {
    this.ctx.logger.info('registrar.cpp:487', 'Applied 1 operations in 85157ns; attempting to update the registry');
    this.ctx.logger.info('registrar.cpp:544', 'Successfully updated the registry in 765184ns');
  }

  /** Every (re)registration is followed by an UpdateSlaveMessage reporting nothing new. */
  private agentUpdate(agent: AgentRecord): void {
    this.ctx.state.inc('messages_update_slave');
    this.ctx.logger.info('master.cpp:7689', `Ignoring update on agent ${describe(agent)} as it reports no changes`);
  }
}
