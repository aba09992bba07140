import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Agent, Master } from '@shared/dashboard/view';
import { ApiError } from '@shared/errors';
import { LogService } from '../logs/log-service';
import { LogStreams } from '../logs/log-streams';
import { attachedNodes } from './attached-nodes';

// An agent the master knows of that this machine cannot reach: a real refused connection on loopback.

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const agent = (id: string, port: number): Agent => ({
  id,
  hostname: '127.0.0.1',
  port,
  state: 'active',
  registeredAt: 1,
  total: { cpus: 1, mem: 512, disk: 1024, gpus: 0 },
  allocated: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
  offered: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
  attributes: {},
  capabilities: [],
});

async function serviceWith(port: number, more: Record<string, Agent> = {}): Promise<LogService> {
  const masters: Master[] = [{ url: 'http://127.0.0.1:1', leader: true }];
  const cluster = attachedNodes('far', { masters, agents: { A1: agent('A1', port), ...more } }, 'http');
  return new LogService({ cluster: async () => cluster, docker: () => { throw new Error('no Docker for an attached cluster'); }, streams: new LogStreams(), timeoutMs: 2000 });
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('resolved');
    },
    (e: unknown) => {
      if (!(e instanceof ApiError)) throw e;
      return e;
    },
  );

describe('an attached agent this machine cannot reach', () => {
  it("a task's sandbox on it: the agent and its address, not 'no sandbox'", async () => {
    const port = await closedPort();
    const err = await failure((await serviceWith(port)).sandbox('far', 'task-1', undefined, 'A1'));
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(new RegExp(`^Agent A1 is unreachable at 127\\.0\\.0\\.1:${port} from here \\(.*\\): its sandboxes and task output cannot be read`));
    expect(err.detail).toEqual({ reason: 'agent-unreachable', agentId: 'A1', address: `127.0.0.1:${port}` });
  });

  it('looking on every agent: the unreachable one is named with its address', async () => {
    const port = await closedPort();
    const err = await failure((await serviceWith(port)).sandbox('far', 'task-1'));
    expect(err.code).toBe('not-found');
    expect(err.message).toContain(`agent unreachable at 127.0.0.1:${port} from here`);
  });
});

describe("the agents' reachability from here", () => {
  it('an agent answering /files is reachable, one refusing connections is not, with its address', async () => {
    const near = createHttpServer((req, res) => {
      res.writeHead(req.url === '/files/debug' ? 200 : 404, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => near.listen(0, '127.0.0.1', r));
    try {
      const nearPort = (near.address() as { port: number }).port;
      const farPort = await closedPort();
      const reach = await (await serviceWith(farPort, { A2: agent('A2', nearPort) })).agentReach('far');
      expect(reach.sort((a, b) => a.agentId.localeCompare(b.agentId))).toEqual([
        { agentId: 'A1', address: `127.0.0.1:${farPort}`, reachable: false, problem: expect.stringMatching(new RegExp(`^unreachable at 127\\.0\\.0\\.1:${farPort} from here \\(.+\\)$`)) },
        { agentId: 'A2', address: `127.0.0.1:${nearPort}`, reachable: true },
      ]);
    } finally {
      await new Promise<void>((r) => near.close(() => r()));
    }
  });
});
