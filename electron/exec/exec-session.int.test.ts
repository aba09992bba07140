import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecEvent } from '@shared/exec/schema';
import { runExecSession } from './exec-session';

// Integration: a real container and a real `docker exec` with a TTY, through a Dockerode whose exec
// resize answers late, as a busy daemon does (CI: a command typed as soon as the session opened ran
// `stty size` before the first resize landed, and read 0 0).
const docker = new Dockerode();
const NAME = `mesoscope-exec-session-${process.pid}`;

/** The daemon, with every exec resize held back `ms` before it is sent. */
function slowResizes(ms: number): Dockerode {
  const slow = Object.create(docker) as Dockerode;
  slow.getContainer = (id: string) => {
    const container = docker.getContainer(id);
    const exec = container.exec.bind(container);
    container.exec = (async (options: Dockerode.ExecCreateOptions) => {
      const e = await exec(options);
      const resize = e.resize.bind(e);
      e.resize = (async (size: object) => {
        await new Promise((r) => setTimeout(r, ms));
        return resize(size);
      }) as typeof e.resize;
      return e;
    }) as typeof container.exec;
    return container;
  };
  return slow;
}

beforeAll(async () => {
  await docker.getContainer(NAME).remove({ force: true }).catch(() => undefined);
  const c = await docker.createContainer({ name: NAME, Image: 'mesoscope/task-base:test', Cmd: ['sleep', '300'], HostConfig: { AutoRemove: true } });
  await c.start();
});

afterAll(async () => {
  await docker.getContainer(NAME).remove({ force: true }).catch(() => undefined);
});

describe('a terminal session', () => {
  it('opens once its TTY has the size asked for: a command typed at once sees it, however late the daemon answers', async () => {
    const controller = new AbortController();
    let output = '';
    let input: ((data: Buffer) => void) | undefined;
    const sawSize = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "24 80" within 15 s; output:\n${output}`)), 15_000);
      const emit = (event: ExecEvent) => {
        // At "open", the user types: nothing waits for the resize after it.
        if (event.kind === 'open') input?.(Buffer.from('stty size\n'));
        if (event.kind === 'output') output += Buffer.from(event.data, 'base64').toString('utf8');
        if (/\b24 80\b/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      void runExecSession(
        { docker: slowResizes(400), container: NAME, title: 'test', command: ['sh'], tty: true, size: { cols: 80, rows: 24 }, sessionId: 'size-first', emit, signal: controller.signal },
        (live) => {
          input = (data) => live.write(data, false);
          return () => undefined;
        },
      ).catch(reject);
    });
    try {
      await sawSize;
    } finally {
      controller.abort();
    }
    expect(output).not.toMatch(/\b0 0\b/);
  });
});
