import { describe, expect, it } from 'vitest';
import { endpointsOf, endpointsText, ServiceSpecSchema, type ServicesView } from '@shared/services/schemas';
import { RelaunchBackoff } from './relaunch-backoff';
import { parseServiceTaskId, serviceTaskId, serviceTaskInfo } from './service-task-infos';

const spec = (input: unknown) => ServiceSpecSchema.parse(input);

describe('a service instance as a TaskInfo', () => {
  it('BRIDGE: the offer ports as single-port ranges, a port mapping each, the HTTP check on the container port', () => {
    const s = spec({ id: 'web', image: 'mesoscope/task-base:test', command: 'httpd -f', ports: [{ containerPort: 8080 }, { containerPort: 9090, protocol: 'udp' }], healthCheck: { type: 'HTTP', path: '/health', portIndex: 0 } });
    const info = serviceTaskInfo(s, 'web.1.abc123', 1, 'S0', [31005, 31007]);
    expect(info.resources).toContainEqual({ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31005, end: 31005 }, { begin: 31007, end: 31007 }] } });
    expect(info.container).toEqual({
      type: 'DOCKER',
      docker: {
        image: 'mesoscope/task-base:test',
        network: 'BRIDGE',
        force_pull_image: false,
        port_mappings: [
          { host_port: 31005, container_port: 8080, protocol: 'tcp' },
          { host_port: 31007, container_port: 9090, protocol: 'udp' },
        ],
      },
    });
    expect(info.health_check).toEqual({ type: 'HTTP', http: { scheme: 'http', port: 8080, path: '/health' }, delay_seconds: 0, interval_seconds: 5, timeout_seconds: 5, consecutive_failures: 3, grace_period_seconds: 10 });
    expect(info.command).toEqual({ shell: true, value: 'httpd -f' });
  });

  it('HOST: the ports in PORT0…/PORTS, a TCP check on the host port; an image without a command keeps its own', () => {
    const s = spec({ id: 'cmd', command: 'serve $PORT0', ports: [{}, {}], healthCheck: { type: 'TCP', portIndex: 1 } });
    expect(s.network).toBe('HOST');
    const info = serviceTaskInfo(s, 'cmd.2.x', 2, 'S0', [31000, 31001]);
    expect(info.container).toBeUndefined();
    expect((info.command as { environment: unknown }).environment).toEqual({
      variables: [
        { name: 'PORT0', value: '31000' },
        { name: 'PORT1', value: '31001' },
        { name: 'PORTS', value: '31000,31001' },
        { name: 'PORT', value: '31000' },
      ],
    });
    expect(info.health_check).toMatchObject({ type: 'TCP', tcp: { port: 31001 } });
    expect(serviceTaskInfo(spec({ id: 'r', image: 'redis:7' }), 'r.1.a', 1, 'S0', []).command).toEqual({ shell: false });
  });

  it('task ids name the service and slot, and parse back', () => {
    expect(parseServiceTaskId(serviceTaskId('redis', 2, 'a1b2c3'))).toEqual({ service: 'redis', slot: 2 });
    expect(parseServiceTaskId('hello-abc123-1')).toBeUndefined();
  });
});

describe('service definitions', () => {
  it('refuse what cannot work, naming the field', () => {
    const issues = (input: unknown) => ServiceSpecSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ id: 'a', image: 'redis:7', ports: [{}] })).toEqual(['ports.0.containerPort: BRIDGE ports need a container port']);
    expect(issues({ id: 'a', command: 'x', network: 'BRIDGE' })).toEqual(['network: BRIDGE needs a Docker image']);
    expect(issues({ id: 'a', command: 'x', healthCheck: { type: 'HTTP' } })).toEqual(['healthCheck.portIndex: port 0 does not exist (the service has 0)']);
    expect(issues({ id: 'a' })).toEqual(['command: a command is needed without an image']);
    expect(issues({ id: 'A b', command: 'x' })?.[0]).toMatch(/^id: must be 1-32 lower-case/);
  });
});

describe('endpoints', () => {
  it("lists each running instance's host:port per port, as mesoscope endpoints prints them", () => {
    const s = spec({ id: 'redis', image: 'redis:7', ports: [{ containerPort: 6379 }] });
    const view: ServicesView = {
      cluster: 'c',
      services: [
        {
          spec: s,
          backoffMs: 1000,
          removing: false,
          history: [],
          instances: [
            { slot: 1, taskId: 'redis.1.a', host: '127.0.0.1', ports: [31000], state: 'TASK_RUNNING', healthy: true },
            { slot: 2, taskId: 'redis.2.b', host: '127.0.0.1', ports: [31001], state: 'TASK_RUNNING' },
            { slot: 3, ports: [], state: 'BACKOFF', relaunchAt: 5 },
          ],
        },
      ],
    };
    expect(endpointsText(endpointsOf(view))).toBe('redis\t6379\t127.0.0.1:31000\t127.0.0.1:31001');
  });
});

describe('the relaunch backoff', () => {
  it('1 s doubling to 1 min; back to 1 s after a good minute', () => {
    const b = new RelaunchBackoff();
    const delays = Array.from({ length: 8 }, (_, i) => b.relaunch(undefined, i));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(b.relaunch(0, 59_999)).toBe(60_000);
    expect(b.relaunch(0, 60_000)).toBe(1000);
    b.relaunch(undefined, 0);
    b.goodFor(10, 60_010);
    expect(b.current).toBe(1000);
  });
});
