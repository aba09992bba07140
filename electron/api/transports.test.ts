import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import { createWsTransport } from '@shared/api/ws-transport';
import { ApiError } from '@shared/errors';
import { startWebHost, type WebHost } from '../web-host/server';
import { nodeSocket } from '../web-host/node-socket';
import { createDispatcher } from './dispatcher';
import { createInProcessTransport } from './in-process-transport';
import { fakeHandlers } from './fake-handlers.test-support';

const dispatcher = createDispatcher(fakeHandlers());
let host: WebHost;
let wsClient: MesoscopeClient & { close(): void };

beforeAll(async () => {
  host = await startWebHost({ dispatcher, rendererDir: __dirname });
  const transport = createWsTransport({ url: `ws://127.0.0.1:${host.port}/api?token=${host.token}`, createSocket: nodeSocket });
  wsClient = { ...createClient(transport), close: transport.close };
});

afterAll(async () => {
  wsClient.close();
  await host.close();
});

// The same behaviour is required of every transport: each case runs over both.
const transports: [string, () => MesoscopeClient][] = [
  ['in-process', () => createClient(createInProcessTransport(dispatcher))],
  ['WebSocket', () => wsClient],
];

describe.each(transports)('over the %s transport', (_name, client) => {
  it('answers a valid call with the handler value', async () => {
    const status = await client().call('docker.status', {});
    expect(status).toMatchObject({ reachable: false, reason: 'socket-missing' });
  });

  it('refuses an input that violates the schema with a validation error naming the field', async () => {
    const error = await client()
      .call('settings.update', { dockerEndpoint: 42 } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'invalid-input' });
    expect((error as ApiError).message).toMatch(/^settings\.update: dockerEndpoint: /);
    expect((error as ApiError).detail).toEqual({ issues: [{ path: 'dockerEndpoint', message: expect.any(String) }] });
  });

  it('refuses a field the contract does not know, naming it', async () => {
    const error = await client()
      .call('docker.status', { verbose: true } as never)
      .catch((e: unknown) => e as ApiError);
    expect(error).toMatchObject({ code: 'invalid-input' });
    expect((error as ApiError).message).toContain('verbose');
  });

  it('refuses a call the contract does not have', async () => {
    const error = await client()
      .call('docker.rmAll' as never, {} as never)
      .catch((e: unknown) => e as ApiError);
    expect(error).toMatchObject({ code: 'unknown-call' });
  });

  it('delivers subscription payloads and refuses bad params', async () => {
    const first = await new Promise((resolve) => {
      const stop = client().subscribe('docker.statusChanged', {}, (status) => {
        stop();
        resolve(status);
      });
    });
    expect(first).toMatchObject({ reason: 'socket-missing' });

    const refused = await new Promise<ApiError>((resolve) => {
      client().subscribe('docker.statusChanged', { every: 1 } as never, () => {}, resolve);
    });
    expect(refused).toMatchObject({ code: 'invalid-input' });
    expect(refused.message).toContain('every');
  });
});

describe('1,000 malformed payloads at the API boundary', () => {
  // Inputs of the wrong shape for calls that take structured input; each must come back refused
  // with the path of the offending field, over each transport, without a crash or a hang.
  const malformed = fc.oneof(
    fc.record({ name: fc.constant('clusters.nodeAction' as const), input: fc.record({ cluster: fc.oneof(fc.integer(), fc.constant('')), node: fc.string(), action: fc.string() }) }),
    fc.record({ name: fc.constant('clusters.removeAgent' as const), input: fc.record({ cluster: fc.string({ minLength: 1 }), index: fc.oneof(fc.double({ max: 0.5 }), fc.string()) }) }),
    fc.record({ name: fc.constant('clusters.destroy' as const), input: fc.record({ name: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)) }) }),
    fc.record({ name: fc.constant('settings.update' as const), input: fc.record({ defaultImages: fc.record({ agent: fc.oneof(fc.integer(), fc.constant(''), fc.constant('has space')) }) }) }),
  );

  it.each(transports)('are all refused with a field path over the %s transport', async (_name, client) => {
    await fc.assert(
      fc.asyncProperty(malformed, async ({ name, input }) => {
        const error = await client()
          .call(name, input as never)
          .then(
            () => null,
            (e: unknown) => e as ApiError,
          );
        expect(error?.code).toBe('invalid-input');
        const issues = (error?.detail as { issues: { path: string }[] }).issues;
        expect(issues.length).toBeGreaterThan(0);
        expect(issues.every((i) => i.path.length > 0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
