// The master's health checks of one agent (SlaveObserver in src/master/master.cpp).
import type { Pid } from '../common/net';
import { connectErrorText, MSG, postMessage } from '../internal/messages';
import type { MasterContext } from './context';
import type { AgentRecord } from './model';

/**
 * SlaveObserver: a ping every agent_ping_timeout; a ping with no pong by the next one is a
 * timeout; max_agent_ping_timeouts in a row mark the agent unreachable.
 */
export class PingObserver {
  private timer: NodeJS.Timeout | undefined;
  private pinged = false;
  private timeouts = 0;
  private stopped = false;
  private inflight: Promise<unknown> | undefined;

  constructor(
    private readonly ctx: MasterContext,
    private readonly agent: AgentRecord,
    private readonly pid: Pid,
    private readonly intervalMs: number,
    private readonly maxTimeouts: number,
    private readonly onUnreachable: () => void,
  ) {}

  start(): void {
    this.ping();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private ping(): void {
    if (this.stopped) return;
    this.pinged = true;
    const sent = postMessage(this.pid, MSG.PING, this.ctx.info.pid, { connected: this.agent.connected }, this.intervalMs);
    this.inflight = sent;
    sent
      .then((r) => {
        if (!this.stopped && r.status === 202 && this.inflight === sent) {
          this.pinged = false;
          this.timeouts = 0;
        }
      })
      .catch((err: unknown) => {
        const code = (err as NodeJS.ErrnoException)?.code;
        if (this.stopped || (code !== 'ECONNREFUSED' && code !== 'ECONNRESET' && code !== 'EHOSTUNREACH')) return;
        this.ctx.logger.warning(
          'process.cpp:1917',
          `Failed to send '${MSG.PING}' to '${this.pid.ip}:${this.pid.port}', connect: ${connectErrorText(this.pid, err)}`,
        );
      });
    this.timer = setTimeout(() => this.timeout(), this.intervalMs);
    this.timer.unref();
  }

  private timeout(): void {
    if (this.stopped) return;
    if (this.pinged) {
      this.timeouts++;
      if (this.timeouts >= this.maxTimeouts) {
        this.stop();
        this.onUnreachable();
        return;
      }
    }
    this.ping();
  }
}
