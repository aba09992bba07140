import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Dockerode from 'dockerode';
import fc from 'fast-check';
import WebSocket from 'ws';
import { CALL_NAMES, type CallName, contract } from '@shared/contract';
import type { Envelope } from '@shared/errors';
import { collectConsoleErrors } from './support/console-errors';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

/**
 * Hostile input, as a process: the real web host (`npm run start:web`'s), spoken to over its socket the
 * way a page that learnt the token could. Every public call gets hostile values; the host survives
 * each, refuses each with a field path, and never fetches from a host built out of a name.
 */

let host: WebHostProcess;
let decoy: http.Server;
let decoyPort = 0;
let decoyHits: string[] = [];

/** A socket client that answers each call with its envelope. */
class Socket {
  private next = 1;
  private readonly pending = new Map<number, (e: Envelope) => void>();
  readonly protocolErrors: string[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: number; envelope?: Envelope; message?: string };
      if (message.type === 'result') this.pending.get(message.id!)?.(message.envelope!);
      if (message.type === 'protocol-error') this.protocolErrors.push(message.message!);
    });
  }
  static async open(url: string): Promise<Socket> {
    const page = new URL(url);
    const ws = new WebSocket(`ws://${page.host}/api?token=${page.searchParams.get('token')}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new Socket(ws);
  }
  call(name: unknown, input: unknown, timeoutMs = 30_000): Promise<Envelope> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${String(name)} in ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(id, (envelope) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(envelope);
      });
      this.ws.send(JSON.stringify({ type: 'call', id, name, input }));
    });
  }
  close(): void {
    this.ws.close();
  }
}

/** An input the contract refuses; asserted before it is sent, so no probe can do anything. */
function refusedByContract(name: CallName, input: unknown): unknown {
  expect(contract.calls[name].input.safeParse(input).success, `${name} ${JSON.stringify(input)} must be invalid`).toBe(false);
  return input;
}

const FIELD_PATH = /^[\w.[\]-]*: .+/;

test.beforeAll(async () => {
  decoy = http.createServer((req, res) => {
    decoyHits.push(`${req.method} ${req.url}`);
    res.end('{}');
  });
  await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
  decoyPort = (decoy.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise((resolve) => decoy.close(resolve));
});

test.beforeEach(async () => {
  decoyHits = [];
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
});

test.afterEach(async () => {
  await host.stop();
});

test('the review’s probes and a hostile value for every public call: the host survives each, nothing is fetched from a name-built host', async () => {
  test.setTimeout(240_000);
  const socket = await Socket.open(host.url);
  const toDecoy = `..//127.0.0.1:${decoyPort}/x`;
  const polluting = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown;

  // 1: image names that steer the request (the host died of the first one).
  for (const images of [['../../version'], [toDecoy], [`127.0.0.1:${decoyPort}/../../x`], ['busybox?all=1'], ['a'.repeat(5000)]]) {
    const answer = await socket.call('images.check', { images });
    expect(answer, images[0]).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/^images\.check: images\[0\]: must /) } });
  }
  for (const role of ['zookeeper', 'master', 'agent']) {
    const answer = await socket.call('clusters.create', { spec: { name: 'e2e-hostile', images: { [role]: toDecoy }, pullPolicy: 'never' } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining(`images.${role}: must `) } });
  }
  expect(await socket.call('settings.update', { defaultImages: { agent: '../../version' } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('defaultImages.agent: must ') } });
  expect(await socket.call('runs.launch', { cluster: 'e2e-hostile', name: 't', image: toDecoy, command: 'true' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('runs.launch: image: must ') } });
  expect(await socket.call('faults.inject', { cluster: 'e2e-hostile', fault: 'missing-image', params: { image: toDecoy } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('params.image: must ') } });
  // A well-formed name is still checked against the daemon.
  expect(await socket.call('images.check', { images: [TEST_IMAGES.zookeeper] })).toMatchObject({ ok: true, value: [{ image: TEST_IMAGES.zookeeper, present: true }] });

  // 2: a spec that would be root on this host.
  const hostile = await socket.call('clusters.create', {
    spec: {
      name: 'e2e-hostile',
      privilegedAgents: true,
      images: TEST_IMAGES,
      pullPolicy: 'never',
      masters: { flags: { ip: '0.0.0.0' } },
      agents: { flags: { default_container_info: '{"type":"DOCKER","volumes":[{"host_path":"/","container_path":"/host","mode":"RW"}]}', modules: '{}', hooks: 'x' } },
    },
  });
  expect(hostile).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  const named = (hostile as { error: { message: string } }).error.message;
  for (const field of ['masters.flags.ip', 'agents.flags.default_container_info', 'agents.flags.modules', 'agents.flags.hooks']) expect(named).toContain(field);
  expect(await socket.call('clusters.addAgent', { cluster: 'e2e-hostile-none', agent: { flags: { ip: '0.0.0.0' } } })).toMatchObject({ ok: false });

  // 5: prototype pollution through applyFix's path.
  expect(await socket.call('doctor.applyFix', { cluster: 'e2e-hostile-none', change: { path: '__proto__.polluted', suggested: 'yes' }, action: 'recreate-cluster' })).toMatchObject({
    ok: false,
    error: { code: 'invalid-input', message: expect.stringContaining('change.path: must ') },
  });

  // 7: recordings at paths that are not recording files.
  const fifo = join(host.configDir, 'pipe.mesorec');
  execFileSync('mkfifo', [fifo]);
  for (const path of [fifo, fifo, fifo, fifo, fifo, '/dev/zero', '/etc', '/proc/self/environ']) {
    const answer = await socket.call('recordings.open', { path }, 10_000);
    expect(answer, path).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not a regular file|Cannot read|not a Mesoscope recording/) } });
  }
  expect(await socket.call('recordings.list', {}, 10_000)).toMatchObject({ ok: true });
  expect(await socket.call('recordings.start', { cluster: 'e2e-hostile-none', path: '/tmp/e2e-hostile.mesorec' })).toMatchObject({ ok: false });

  // Every public call, each with values no call's contract takes: refused with a field path.
  const generic = (name: CallName) => [null, 'x', 42, [], polluting, { zzz: 1 }, { ['a'.repeat(300)]: 'x'.repeat(100_000) }].map((v) => refusedByContract(name, v));
  for (const name of CALL_NAMES) {
    for (const input of generic(name)) {
      const answer = await socket.call(name, input);
      expect(answer, `${name} ${JSON.stringify(input).slice(0, 60)}`).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(FIELD_PATH) } });
    }
  }

  // Alive, unpolluted (strict schemas still take valid input), and the decoy never asked.
  expect(await socket.call('settings.get', {})).toMatchObject({ ok: true });
  expect(await socket.call('docker.status', {})).toMatchObject({ ok: true, value: { reachable: true } });
  expect(decoyHits).toEqual([]);
  socket.close();
  // The link with its token is in the 0600 file, not in what the host printed to a pipe.
  const token = new URL(host.url).searchParams.get('token') ?? '';
  expect(token.length).toBeGreaterThan(20);
  expect(host.output()).toContain('Mesoscope is running at http://127.0.0.1:');
  expect(host.output()).not.toContain(token);
});

test('1,000 malformed calls and 200 malformed frames through the socket: 0 crashes, each refused with a field path', async () => {
  test.setTimeout(240_000);
  const socket = await Socket.open(host.url);
  const callName = fc.constantFrom(...CALL_NAMES);
  const malformed = callName.chain((name) =>
    fc
      .oneof(fc.anything(), fc.dictionary(fc.constantFrom('cluster', 'name', 'path', 'images', 'spec', 'id', 'change', 'agent', 'input', '__proto__'), fc.anything()))
      // What reaches the host is the input after JSON: `{ cluster: ' ', images: undefined }` arrives as the
      // valid `{ cluster: ' ' }`, so the input is judged malformed as it will be sent.
      .map((input) => (input === undefined ? input : (JSON.parse(JSON.stringify(input) ?? 'null') as unknown)))
      .filter((input) => !contract.calls[name].input.safeParse(input).success)
      .map((input) => ({ name, input })),
  );
  let calls = 0;
  await fc.assert(
    fc.asyncProperty(malformed, async ({ name, input }) => {
      calls += 1;
      const answer = await socket.call(name, input);
      expect(answer.ok).toBe(false);
      if (!answer.ok) {
        expect(answer.error.code).toBe('invalid-input');
        expect(answer.error.message).toMatch(FIELD_PATH);
      }
    }),
    { numRuns: 1000 },
  );
  expect(calls).toBe(1000);

  const frames = fc.sample(fc.oneof(fc.string(), fc.json(), fc.constant('{"type":"call","id":-1}'), fc.constant('{"type":"subscribe"}')), { numRuns: 200, seed: 15 });
  for (const frame of frames) socket.ws.send(frame);
  expect(await socket.call('settings.get', {})).toMatchObject({ ok: true });
  expect(socket.protocolErrors.length).toBeGreaterThan(0);
  expect(decoyHits).toEqual([]);
  socket.close();
});

test('a hostile spec imported in New cluster: unsafe flags named; opted in, a review with the dangers in red before anything runs', async ({ page }, testInfo) => {
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New cluster' }).first().click();
  const dialog = page.getByRole('dialog');
  await mkdir(testInfo.outputDir, { recursive: true });
  const file = join(testInfo.outputDir, 'from-a-stranger.yaml');
  const body = [
    'name: e2e-gift',
    'privilegedAgents: true',
    'images: { agent: mesoscope/task-base:test }',
    'masters: { flags: { ip: 0.0.0.0, allocation_interval: 250ms } }',
    'agents:',
    '  flags:',
    '    default_container_info: \'{"type":"DOCKER","volumes":[{"host_path":"/","container_path":"/host","mode":"RW"}]}\'',
    '    executor_registration_timeout: 5mins',
  ];
  await writeFile(file, `${body.join('\n')}\n`);
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Import…' }).click();
  await (await chooser).setFiles(file);
  const issues = dialog.getByTestId('spec-issues');
  await expect(issues).toContainText('masters.flags.ip: --ip decides where the node listens');
  await expect(issues).toContainText('agents.flags.default_container_info: --default_container_info decides which Docker the agent drives and what every task container mounts');
  await expect(dialog.getByRole('button', { name: /launch/i })).toBeDisabled();

  // The same spec, opting in: held for review, every item named, the dangerous ones red.
  await dialog.getByLabel('Cluster spec').fill(`${body.join('\n')}\nallowUnsafeFlags: [ip, default_container_info]\n`);
  await expect(issues).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Review and launch…' }).click();
  const review = dialog.getByTestId('spec-review');
  await expect(review).toBeVisible();
  for (const path of ['images.agent', 'privilegedAgents', 'allowUnsafeFlags', 'masters.flags.ip', 'agents.flags.default_container_info']) {
    await expect(review.getByTestId(`review-${path}`)).toHaveAttribute('data-level', 'danger');
  }
  for (const path of ['masters.flags.allocation_interval', 'agents.flags.executor_registration_timeout']) {
    await expect(review.getByTestId(`review-${path}`)).toHaveAttribute('data-level', 'notice');
  }
  await expect(dialog.getByRole('button', { name: 'Launch as reviewed' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/spec-review.png' });
  await dialog.getByRole('button', { name: 'Back to the spec' }).click();
  await expect(dialog.getByLabel('Cluster spec')).toHaveValue(/allowUnsafeFlags/);
  const left = await new Dockerode().listContainers({ all: true, filters: { label: ['io.mesoscope.cluster=e2e-gift'] } });
  expect(left).toHaveLength(0);
  expect(errors).toEqual([]);
});
