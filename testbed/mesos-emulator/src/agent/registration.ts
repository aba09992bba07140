// The agent's side of membership (src/slave/slave.cpp): register with the detected
// leader (retrying with backoff), reregister after a leader change or a ping timeout,
// keep the link, answer pings, obey shutdown.
import { randomUUID } from 'node:crypto';
import { Duration } from '../common/durations';
import { parsePid, type Pid } from '../common/net';
import { MSG, openLink, postMessage, type Link, type RegisterMessage, type RegisteredReply, type ShutdownMessage } from '../internal/messages';
import type { Logger } from '../logging/glog';
import { AGENT_CAPABILITIES } from '../common/capabilities';
import { MESOS_VERSION } from '../version';
import type { DetectedLeader, MasterDetector } from './detector';

export interface RegistrationOptions {
  logger: Logger;
  detector: MasterDetector;
  /** slave(1)@ip:port */
  selfPid: string;
  backoffFactor: Duration;
  slaveInfo: () => RegisterMessage['slave'];
  /** The id to reregister with (recovered from the work_dir), if any. */
  agentId: () => string | undefined;
  onRegistered: (agentId: string, masterPid: string) => void;
  /** No longer registered (a new leader is being detected): status updates pause. */
  onDisconnected?: () => void;
  /** What a reregistration reports: the agent's tasks and their frameworks. */
  report?: () => Pick<RegisterMessage, 'tasks' | 'frameworks'>;
  onShutdown: (from: string, message: string) => void;
}

/** REGISTER_RETRY_INTERVAL_MAX (src/slave/constants.hpp). */
const MAX_BACKOFF_MS = 60_000;

export class Registration {
  private state: 'DISCONNECTED' | 'REGISTERING' | 'RUNNING' = 'DISCONNECTED';
  private leader: DetectedLeader | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private pingTimeoutMs = 75_000;
  private link: Link | undefined;
  private stopped = false;
  private master: string | undefined;

  constructor(private readonly opts: RegistrationOptions) {}

  get registered(): boolean {
    return this.state === 'RUNNING';
  }

  get masterPid(): string | undefined {
    return this.master;
  }

  start(): void {
    this.opts.detector.start((leader) => this.detected(leader));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    this.link?.close();
    await this.opts.detector.stop();
  }

  /** SIGUSR1: tell the master we are leaving for good. */
  async unregister(): Promise<void> {
    const pid = this.master ? parsePid(this.master) : undefined;
    if (pid && this.state === 'RUNNING') {
      await postMessage(pid, MSG.UNREGISTER, this.opts.selfPid, { slave_id: this.opts.agentId() }, 5000).catch(() => undefined);
    }
  }

  /**
   * PingSlaveMessage: reset the ping timer; `connected: false` forces re-registration.
   * Like Slave::ping, the sender is not checked (its pid may name another address of the master).
   */
  ping(_from: string, connected: boolean): void {
    if (this.stopped || this.state !== 'RUNNING') return;
    if (!connected) {
      this.opts.logger.info(
        'slave.cpp:1298',
        'Master marked the agent as disconnected but the agent considers itself registered! Forcing re-registration.',
      );
      this.reconnect();
      return;
    }
    this.armPingTimer();
  }

  shutdown(from: string, message: string): void {
    this.opts.logger.info('slave.cpp:1104', `Agent asked to shut down by ${from}${message ? ` because '${message}'` : ''}`);
    this.opts.onShutdown(from, message);
  }

  private detected(leader: DetectedLeader | null): void {
    if (this.stopped) return;
    this.clearTimers();
    this.link?.close();
    this.link = undefined;
    this.leader = leader;
    this.state = 'DISCONNECTED';
    this.opts.onDisconnected?.();
    if (!leader) {
      this.opts.logger.info('slave.cpp:1558', 'Lost leading master');
      return;
    }
    this.opts.logger.info('slave.cpp:1475', `New master detected at ${leader.pid}`);
    this.opts.logger.info('slave.cpp:1529', 'No credentials provided. Attempting to register without authentication');
    this.opts.logger.info('slave.cpp:1540', 'Detecting new master');
    this.beginRegistration();
  }

  private beginRegistration(): void {
    this.state = 'REGISTERING';
    this.attempt = 0;
    // The first attempt waits a random part of registration_backoff_factor, like the real agent.
    this.schedule(Math.random() * this.opts.backoffFactor.ms);
  }

  private schedule(delayMs: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.tryRegister(), delayMs);
    this.retryTimer.unref();
  }

  private async tryRegister(): Promise<void> {
    const leader = this.leader;
    if (this.stopped || !leader || this.state !== 'REGISTERING') return;
    const pid = parsePid(leader.pid);
    if (!pid) return;
    const id = this.opts.agentId();
    const body: RegisterMessage = {
      slave: { ...this.opts.slaveInfo(), ...(id ? { id } : {}) },
      version: MESOS_VERSION,
      capabilities: [...AGENT_CAPABILITIES],
      ...(id && this.opts.report ? this.opts.report() : {}),
    };
    try {
      const reply = await postMessage(pid, id ? MSG.REREGISTER : MSG.REGISTER, this.opts.selfPid, body, 5000);
      if (this.stopped || this.leader !== leader || this.state !== 'REGISTERING') return;
      if (reply.status === 200) {
        this.registered_(JSON.parse(reply.body) as RegisteredReply, leader.pid, pid, id !== undefined);
        return;
      }
      if (reply.status === 403) {
        const msg = JSON.parse(reply.body) as ShutdownMessage;
        this.shutdown(leader.pid, msg.message);
        return;
      }
    } catch {
      /* not reachable yet: retry */
    }
    if (this.stopped || this.leader !== leader || this.state !== 'REGISTERING') return;
    this.attempt++;
    const max = Math.min(this.opts.backoffFactor.ms * 2 ** this.attempt, MAX_BACKOFF_MS);
    this.schedule(Math.max(50, Math.random() * max));
  }

  private registered_(reply: RegisteredReply, masterPid: string, pid: Pid, reregistered: boolean): void {
    const { logger } = this.opts;
    this.state = 'RUNNING';
    this.master = masterPid;
    this.opts.onRegistered(reply.slave_id, masterPid);
    if (reregistered) logger.info('slave.cpp:1832', `Re-registered with master ${masterPid}`);
    else logger.info('slave.cpp:1700', `Registered with master ${masterPid}; given agent ID ${reply.slave_id}`);
    const uuid = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64');
    logger.info(
      'slave.cpp:1886',
      `Forwarding agent update {"operations":{},"resource_providers":{},"resource_version_uuid":{"value":"${uuid}"},"slave_id":{"value":"${reply.slave_id}"},"update_oversubscribed_resources":false}`,
    );
    this.pingTimeoutMs = reply.total_ping_timeout_seconds * 1000;
    this.armPingTimer();
    this.link?.close();
    this.link = openLink(pid, this.opts.selfPid, () => {
      if (this.stopped || this.master !== masterPid) return;
      logger.warning('slave.cpp:5966', 'Master disconnected! Waiting for a new master to be elected');
    });
  }

  private armPingTimer(): void {
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      if (this.stopped || this.state !== 'RUNNING') return;
      this.opts.logger.info('slave.cpp:5383', `No pings from master received within ${Duration.ms(this.pingTimeoutMs)}`);
      this.reconnect();
    }, this.pingTimeoutMs);
    this.pingTimer.unref();
  }

  /** Back to the detector's current leader, as a fresh detection. */
  private reconnect(): void {
    const leader = this.leader;
    this.detected(leader);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.retryTimer = undefined;
    this.pingTimer = undefined;
  }
}
