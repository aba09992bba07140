import { describe, expect, it } from 'vitest';
import { ConnectionInputSchema } from './connection';
import { endpointFor, parseDockerEndpoint, parseDockerFlag } from './docker-endpoint';

describe('Docker endpoints of an attached cluster', () => {
  it('reads the three transports', () => {
    expect(parseDockerEndpoint('unix:///var/run/docker.sock')).toEqual({ protocol: 'unix', socketPath: '/var/run/docker.sock' });
    expect(parseDockerEndpoint('tcp://10.0.0.5:2375')).toEqual({ protocol: 'tcp', host: '10.0.0.5', port: 2375 });
    expect(parseDockerEndpoint('tcp://[::1]:2375')).toEqual({ protocol: 'tcp', host: '::1', port: 2375 });
    expect(parseDockerEndpoint('ssh://ops@agent-1.lab')).toEqual({ protocol: 'ssh', username: 'ops', host: 'agent-1.lab', port: 22 });
    expect(parseDockerEndpoint('ssh://ops@agent-1.lab:2222')).toEqual({ protocol: 'ssh', username: 'ops', host: 'agent-1.lab', port: 2222 });
  });

  it.each([
    ['http://host:2375', /no other scheme/],
    ['npipe:////./pipe/docker_engine', /no other scheme/],
    ['unix://relative/docker.sock', /absolute/],
    ['unix:///var/run/../../etc/shadow', /no "\.\."/],
    ['unix:///var/run/docker.sock foo', /no spaces/],
    ['tcp://host', /tcp:\/\/host:port/],
    ['tcp://host:0', /port 1-65535/],
    ['tcp://host:70000', /port 1-65535/],
    ['tcp://host:2375/path', /nothing after it/],
    ['tcp://-host:2375', /tcp:\/\/host:port/],
    ['ssh://host', /ssh:\/\/user@host/],
    ['ssh://-oProxyCommand=touch@host', /ssh:\/\/user@host/],
    ['ssh://ops@-oProxyCommand=x', /ssh:\/\/user@host/],
    ['ssh://ops@host -oProxyCommand=x', /no spaces/],
    ['ssh://ops@host\t', /no spaces/],
    ['ssh://ops@host\n-o', /no spaces/],
    ['ssh://ops@host/docker', /no path/],
    ['ssh://ops@host?x=1', /no path/],
    ['ssh://ops:pw@host', /ssh:\/\/user@host/],
    ['ssh://ops@host;rm -rf', /no spaces/],
    ['ssh://ops@host;id', /ssh:\/\/user@host/],
    ['', /no spaces/],
  ])('refuses %j in words', (url, why) => {
    const parsed = parseDockerEndpoint(url);
    expect('error' in parsed && parsed.error).toMatch(why);
  });

  it('a connection names the bad field, and refuses an agent named twice or a hostile agent name', () => {
    const base = { name: 'c', masters: ['http://m:5050'] };
    const bad = ConnectionInputSchema.safeParse({ ...base, dockerEndpoints: [{ agent: '*', url: 'ssh://a@h' }, { agent: 'h2', url: 'ftp://x' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['dockerEndpoints.1.url']);
    expect(bad.error?.issues[0]?.message).toMatch(/"ftp:\/\/x" is not a Docker endpoint: unix:\/\/, tcp:\/\/ or ssh:\/\//);
    const twice = ConnectionInputSchema.safeParse({ ...base, dockerEndpoints: [{ agent: 'h', url: 'tcp://h:1' }, { agent: 'h', url: 'tcp://h:2' }] });
    expect(twice.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['dockerEndpoints.1.agent: "h" is named twice']);
    const agent = ConnectionInputSchema.safeParse({ ...base, dockerEndpoints: [{ agent: '-oX', url: 'tcp://h:1' }] });
    expect(agent.error?.issues.map((i) => i.path.join('.'))).toEqual(['dockerEndpoints.0.agent']);
    const extra = ConnectionInputSchema.safeParse({ ...base, dockerEndpoints: [{ agent: 'h', url: 'tcp://h:1', sshOptions: {} }] });
    expect(extra.success).toBe(false);
    expect(ConnectionInputSchema.parse({ ...base, dockerEndpoints: [{ agent: '*', url: 'unix:///var/run/docker.sock' }] }).dockerEndpoints).toHaveLength(1);
  });

  it('an agent takes its own hostname\'s endpoint first, else *\'s; --docker splits at the first =', () => {
    const list = [
      { agent: '*', url: 'unix:///var/run/docker.sock' },
      { agent: 'a1', url: 'ssh://ops@a1' },
    ];
    expect(endpointFor(list, 'a1')).toBe('ssh://ops@a1');
    expect(endpointFor(list, 'a2')).toBe('unix:///var/run/docker.sock');
    expect(endpointFor([{ agent: 'a1', url: 'tcp://a1:2375' }], 'a2')).toBeUndefined();
    expect(endpointFor(undefined, 'a2')).toBeUndefined();
    expect(parseDockerFlag('*=tcp://h:2375')).toEqual({ agent: '*', url: 'tcp://h:2375' });
    expect(parseDockerFlag('tcp://h:2375')).toMatchObject({ error: expect.stringMatching(/--docker takes HOST=URL/) });
  });
});
