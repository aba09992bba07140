// Messages from the master to one agent, in order: libprocess keeps one socket per peer, so a
// KillTaskMessage never overtakes the RunTaskMessage before it. Lost messages are lost (as
// on a broken socket); the agent's reregistration reconciles what matters.
import { parsePid } from '../common/net';
import { postMessage } from '../internal/messages';
import type { MasterContext } from './context';

export class AgentMessenger {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly ctx: MasterContext) {}

  send(agentId: string, name: string, body: unknown): void {
    const agent = this.ctx.state.agents.registered.get(agentId);
    const pid = agent ? parsePid(agent.pid) : undefined;
    if (!agent || !pid) return;
    const previous = this.queues.get(agentId) ?? Promise.resolve();
    const next = previous
      .then(() => postMessage(pid, name, this.ctx.info.pid, body, 5000))
      .catch((err: unknown) => {
        this.ctx.logger.warning('process.cpp:1917', `Failed to send '${name}' to '${pid.ip}:${pid.port}': ${(err as Error).message}`);
      });
    this.queues.set(agentId, next);
    void next.then(() => {
      if (this.queues.get(agentId) === next) this.queues.delete(agentId);
    });
  }
}
