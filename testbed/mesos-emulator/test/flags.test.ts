import { describe, expect, it } from 'vitest';
import { loadFlags, type Flags } from '../src/common/flags';
import { AGENT_FLAGS } from '../src/agent/flags';
import { MASTER_FLAGS } from '../src/master/flags';

const master = (argv: string[], env: Record<string, string> = {}) => loadFlags(MASTER_FLAGS, argv, env) as Flags;

describe('flags (stout FlagsBase::load("MESOS_", …))', () => {
  it('reads --foo=bar, booleans and --no-foo', () => {
    const f = master(['--port=5049', '--hostname_lookup=false', '--no-authenticate_agents', '--registry_strict']);
    expect(f.int('port')).toBe(5049);
    expect(f.bool('hostname_lookup')).toBe(false);
    expect(f.bool('authenticate_agents')).toBe(false);
    expect(f.bool('registry_strict')).toBe(true);
  });

  it('reads MESOS_* from the environment; the command line wins', () => {
    const f = master(['--port=5051'], { MESOS_PORT: '6000', MESOS_CLUSTER: 'local', MESOS_AGENT_PING_TIMEOUT: '2secs' });
    expect(f.int('port')).toBe(5051);
    expect(f.str('cluster')).toBe('local');
    expect(f.str('agent_ping_timeout')).toBe('2secs');
  });

  it('accepts dashes for underscores', () => {
    expect(master(['--agent-ping-timeout=3secs']).str('agent_ping_timeout')).toBe('3secs');
  });

  it('shows defaults as the recorded master does, durations normalised', () => {
    const d = master(['--agent_ping_timeout=1000ms']).display();
    expect(d.agent_ping_timeout).toBe('1secs');
    expect(d.max_agent_ping_timeouts).toBe('5');
    expect(d.allocator_agent_recovery_factor).toBe('0.8');
    expect(d.registry_max_agent_age).toBe('2weeks');
    expect(d.zk).toBeUndefined();
    expect(Object.keys(d)).toEqual([...Object.keys(d)].sort());
  });

  it('keeps unknown command-line flags as strings', () => {
    const d = master(['--frobnicate=7', '--shiny', '--no-dull']).display();
    expect([d.frobnicate, d.shiny, d.dull]).toEqual(['7', 'true', 'false']);
  });

  it('reports bad values and missing required flags', () => {
    expect((loadFlags(MASTER_FLAGS, ['--port=abc'], {}) as Error).message).toMatch(/^Failed to load flag 'port'/);
    expect((loadFlags(MASTER_FLAGS, ['--agent_ping_timeout=5'], {}) as Error).message).toMatch(/Invalid duration '5'/);
    expect((loadFlags(MASTER_FLAGS, ['--no-port'], {}) as Error).message).toMatch(/non-boolean flag 'port'/);
    expect((loadFlags(AGENT_FLAGS, ['--master=x:1'], {}) as Error).message).toBe("Flag 'work_dir' is required, but it was not provided");
  });

  it('formats the startup line like "Flags at startup"', () => {
    expect(master(['--port=5050']).startupLine()).toMatch(/^--agent_ping_timeout="15secs" --agent_reregister_timeout="10mins" /);
  });
});
