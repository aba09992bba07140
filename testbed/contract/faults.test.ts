// Agent faults on real emulator processes, against transcripts/fault-pause-legacy/ and
// transcripts/fault-stop-legacy/ (operator events, timings of docs/mesos/faults.md rows 9 and 11-12),
// then the master's view afterwards and both glog files against transcripts/after/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentFlags, tempDir } from './support/cluster';
import { call, request, subscribe, type EventStream } from './support/http-client';
import { buildBundle, freePort, spawnRole, until, type Proc } from './support/processes';
import { compareShape } from './support/shape';
import { readEvents, readHttp, transcript } from './support/transcripts';

let dir: string;
let bundle: string;
let master: Proc;
let masterUrl: string;
const agents: Proc[] = [];
const agentPorts: number[] = [];
let stream: EventStream;

function agentFlagsFor(i: number, masterPort: number): Record<string, string | number | boolean> {
  // The shared agent flags, on a port this test knows beforehand (it restarts agents on it).
  return { ...agentFlags(dir, `127.0.0.1:${masterPort}`, i), port: agentPorts[i]! };
}

type State = { slaves: Array<{ id: string; active: boolean; port: number }>; unreachable_slaves: number };
const state = async () => (await request(`${masterUrl}/master/state`)).json() as State;
const metrics = async () => (await request(`${masterUrl}/metrics/snapshot`)).json() as Record<string, number>;
const agentId = async (i: number) => ((await request(`http://127.0.0.1:${agentPorts[i]}/state`)).json() as { id?: string }).id;

let masterPort: number;

beforeAll(async () => {
  dir = tempDir('faults');
  bundle = await buildBundle(dir);
  masterPort = await freePort();
  agentPorts.push(await freePort(), await freePort());
  masterUrl = `http://127.0.0.1:${masterPort}`;
  master = spawnRole(bundle, 'master', {
    ip: '127.0.0.1',
    port: masterPort,
    hostname: '127.0.0.1',
    quorum: 1,
    registry: 'in_memory',
    agent_ping_timeout: '1secs',
    max_agent_ping_timeouts: 3,
    log_dir: path.join(dir, 'master-log'),
    work_dir: path.join(dir, 'master'),
  });
  await until('master', async () => ((await request(`${masterUrl}/master/health`)).status === 200 ? true : undefined));
  for (const i of [0, 1]) agents.push(spawnRole(bundle, 'agent', agentFlagsFor(i, masterPort)));
  await until('two agents', async () => ((await state()).slaves.length === 2 ? true : undefined));
  stream = await subscribe(masterUrl);
  await stream.waitFor('HEARTBEAT');
}, 60_000);

afterAll(async () => {
  stream?.close();
  for (const p of [...agents, master]) {
    p?.kill('SIGCONT');
    p?.kill('SIGKILL');
  }
  await Promise.all([...agents, master].filter(Boolean).map((p) => p.exited));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a paused agent (fault-pause-legacy, docs/mesos/faults.md row 9)', () => {
  it('is marked unreachable after 3 missed 1 s pings, with no AGENT_REMOVED', async () => {
    const id = await agentId(1);
    const before = stream.events.length;
    const paused = Date.now();
    agents[1]!.kill('SIGSTOP');
    await until('unreachable', async () => ((await state()).unreachable_slaves === 1 ? true : undefined), 15_000, 50);
    const took = (Date.now() - paused) / 1000;
    // Recorded: ≈ 3.5 s (docs/mesos/faults.md row 9).
    expect(took).toBeGreaterThan(2.5);
    expect(took).toBeLessThan(8);
    const s = await state();
    expect(s.slaves.map((x) => x.id)).not.toContain(id);
    const m = await metrics();
    expect(m['master/slaves_unreachable']).toBe(1);
    expect(m['master/slave_unreachable_completed']).toBe(1);
    expect(m['master/slave_removals/reason_unhealthy']).toBe(1);
    expect(stream.events.slice(before).some((e) => e.type === 'AGENT_REMOVED')).toBe(false);
  }, 30_000);

  it('comes back on unpause with an AGENT_ADDED shaped exactly like the recorded one', async () => {
    const recorded = readEvents('fault-pause-legacy/operator.events.jsonl').find((e) => e.event.type === 'AGENT_ADDED')!;
    const headers = JSON.parse(fs.readFileSync(transcript('fault-pause-legacy/operator.response-headers.json'), 'utf8')) as {
      headers: Record<string, string>;
    };
    expect(stream.headers['content-type']).toBe(headers.headers['content-type']);
    const before = stream.events.length;
    agents[1]!.kill('SIGCONT');
    const added = await stream.waitFor('AGENT_ADDED', 15_000, before);
    // Only allocated_resources differ: the recorded agent ran a task.
    expect(compareShape(recorded.event, added, { allowMissing: ['agent_added.agent.allocated_resources'] })).toEqual([]);
    const s = await state();
    expect(s.unreachable_slaves).toBe(0);
    expect(s.slaves).toHaveLength(2);
  }, 30_000);
});

describe('a killed and restarted agent (fault-stop-legacy, docs/mesos/faults.md rows 11-12)', () => {
  it('is disconnected at once, then unreachable after the ping timeouts', async () => {
    const id = await agentId(0);
    agents[0]!.kill('SIGKILL');
    await agents[0]!.exited;
    const inactive = await until('inactive', async () => {
      const a = (await state()).slaves.find((x) => x.id === id);
      return a && !a.active ? a : undefined;
    }, 2000, 20);
    expect(inactive.active).toBe(false);
    expect((await metrics())['master/slaves_disconnected']).toBe(1);
    await until('unreachable', async () => ((await state()).unreachable_slaves === 1 ? true : undefined), 10_000, 50);
  }, 30_000);

  it('reregisters with the same id when restarted on its work_dir, with the recorded AGENT_ADDED shape', async () => {
    const recorded = readEvents('fault-stop-legacy/operator.events.jsonl').find((e) => e.event.type === 'AGENT_ADDED')!;
    const id = JSON.parse(fs.readFileSync(path.join(dir, 'agent0', 'meta', 'slaves', 'latest', 'slave.info'), 'utf8')).id as string;
    const before = stream.events.length;
    agents[0] = spawnRole(bundle, 'agent', agentFlagsFor(0, masterPort));
    const added = await stream.waitFor('AGENT_ADDED', 15_000, before);
    expect(compareShape(recorded.event, added, { allowMissing: ['agent_added.agent.allocated_resources'] })).toEqual([]);
    expect((added.agent_added as { agent: { agent_info: { id: { value: string } } } }).agent.agent_info.id.value).toBe(id);
  }, 30_000);
});

describe('the master afterwards (after/*.http)', () => {
  it('GET_AGENTS like after/api-get-agents.http (reregistered agents carry reregistered_time)', async () => {
    const recorded = readHttp('after/api-get-agents.http');
    const r = await call(masterUrl, { type: 'GET_AGENTS' });
    expect(r.status).toBe(recorded.status);
    expect(compareShape(recorded.json(), r.json())).toEqual([]);
  });

  it('/master/state like after/master-state.http, frameworks aside', async () => {
    const recorded = readHttp('after/master-state.http');
    const r = await request(`${masterUrl}/master/state`);
    const diffs = compareShape(recorded.json(), r.json(), {
      allowExtra: ['git_tag'],
      allowMissing: ['flags.zk'],
      // Frameworks need the scheduler API (a later issue): compared as lists only.
      allowEmptyMismatch: ['completed_frameworks', 'frameworks'],
    });
    expect(diffs).toEqual([]);
  });

  it.each([
    ['after/api-get-tasks.http', 'GET_TASKS'],
    ['after/api-get-frameworks.http', 'GET_FRAMEWORKS'],
    ['after/api-get-state.http', 'GET_STATE'],
  ])('%s: envelope and list keys (tasks and frameworks need the scheduler API)', async (file, type) => {
    const recorded = readHttp(file);
    const r = await call(masterUrl, { type });
    const snake = type.toLowerCase();
    const lists = [
      `${snake}.tasks`, `${snake}.completed_tasks`, `${snake}.unreachable_tasks`, `${snake}.frameworks`, `${snake}.completed_frameworks`,
      'get_state.get_tasks.tasks', 'get_state.get_tasks.completed_tasks', 'get_state.get_tasks.unreachable_tasks',
      'get_state.get_frameworks.frameworks', 'get_state.get_frameworks.completed_frameworks', 'get_state.get_executors.executors',
    ];
    expect(compareShape(recorded.json(), r.json(), { allowEmptyMismatch: lists })).toEqual([]);
  });

  it('/metrics/snapshot: every key of after/metrics.http except per-framework and per-reason ones', async () => {
    const recorded = Object.keys(readHttp('after/metrics.http').json() as object);
    const ours = Object.keys(await metrics());
    const needsFrameworks = (k: string) =>
      k.startsWith('master/frameworks/') ||
      /^master\/task_[a-z_]+\/source_[a-z]+\/reason_/.test(k) ||
      k.startsWith('allocator/mesos/roles/') ||
      k.startsWith('allocator/mesos/offer_filters/');
    expect(recorded.filter((k) => !needsFrameworks(k)).sort()).toEqual([...ours].sort());
    const m = await metrics();
    expect(m['master/slave_reregistrations']).toBe(2);
    expect(m['master/slave_unreachable_completed']).toBe(2);
    expect(m['master/slave_removals']).toBe(2);
  });
});

/** Log lines that mean the same moment in the recorded and the emulated logs. */
const MASTER_LINES: Array<[string, RegExp]> = [
  ['logging started', /^I\d{4} [\d:.]+ +\d+ logging\.cpp:\d+\] INFO level logging started!$/],
  ['version', /^I\d{4} [\d:.]+ +\d+ main\.cpp:\d+\] Version: 1\.12\.0$/],
  ['started', /master\.cpp:\d+\] Master [0-9a-f-]{36} \(127\.0\.0\.1\) started on 127\.0\.0\.1:\d+$/],
  ['flags', /master\.cpp:\d+\] Flags at startup: --agent_ping_timeout="1secs" /],
  ['loopback warning', /^Master bound to loopback interface! Cannot communicate with remote schedulers or agents\. You might want to set '--ip' flag to a routable IP address\.$/],
  ['attached', /master\.cpp:\d+\] Successfully attached file '.*\/mesos-master\.INFO'$/],
  ['elected', /master\.cpp:\d+\] Elected as the leading master!$/],
  ['recovered', /master\.cpp:\d+\] Recovered 0 agents from the registry \(132B\); allowing 10mins for agents to reregister$/],
  ['register msg', /master\.cpp:\d+\] Received register agent message from slave\(1\)@127\.0\.0\.1:\d+ \(127\.0\.0\.1\)$/],
  ['registering', /master\.cpp:\d+\] Registering agent at slave\(1\)@127\.0\.0\.1:\d+ \(127\.0\.0\.1\) with id [0-9a-f-]{36}-S\d+$/],
  ['registered', /master\.cpp:\d+\] Registered agent [0-9a-f-]{36}-S\d+ at slave\(1\)@127\.0\.0\.1:\d+ \(127\.0\.0\.1\) with cpus:2; mem:2048; disk:4096; ports:\[\d+-\d+\]$/],
  ['marking', /master\.cpp:\d+\] Marking agent [0-9a-f-]{36}-S\d+ \(127\.0\.0\.1\) unreachable: health check timed out$/],
  ['marked', /master\.cpp:\d+\] Marked agent [0-9a-f-]{36}-S\d+ \(127\.0\.0\.1\) unreachable: health check timed out$/],
  ['reregister msg', /master\.cpp:\d+\] Received reregister agent message from agent [0-9a-f-]{36}-S\d+ at slave\(1\)@127\.0\.0\.1:\d+ \(127\.0\.0\.1\)$/],
  ['reregistered', /master\.cpp:\d+\] Re-registered agent [0-9a-f-]{36}-S\d+ at slave\(1\)@127\.0\.0\.1:\d+ \(127\.0\.0\.1\) with cpus:2; mem:2048; disk:4096; ports:\[\d+-\d+\]$/],
  ['disconnected', /master\.cpp:\d+\] Agent [0-9a-f-]{36}-S\d+ at slave\(1\)@127\.0\.0\.1:\d+ \(127\.0\.0\.1\) disconnected$/],
  ['ping failed', /^W\d{4} .* process\.cpp:\d+\] Failed to send 'mesos\.internal\.PingSlaveMessage' to '127\.0\.0\.1:\d+', connect: Failed to connect to 127\.0\.0\.1:\d+: Connection refused$/],
  ['http', /http\.cpp:\d+\] HTTP GET for \/master\/state from 127\.0\.0\.1:\d+ with User-Agent='.*'$|http\.cpp:\d+\] HTTP GET for \/master\/state from 127\.0\.0\.1:\d+$/],
  ['processing', /http\.cpp:\d+\] Processing call GET_AGENTS$/],
  ['subscriber', /master\.cpp:\d+\] Added subscriber [0-9a-f-]{36} to the list of active subscribers$/],
];

const AGENT_LINES: Array<[string, RegExp]> = [
  ['version', /main\.cpp:\d+\] Version: 1\.12\.0$/],
  ['started', /slave\.cpp:\d+\] Mesos agent started on \(1\)@127\.0\.0\.1:\d+$/],
  ['loopback warning', /^Agent bound to loopback interface! Cannot communicate with remote master\(s\)\. You might want to set '--ip' flag to a routable IP address\.$/],
  ['resources', /slave\.cpp:\d+\] Agent resources: \[\{"name":"cpus","scalar":\{"value":2\.0\},"type":"SCALAR"\}/],
  ['attributes', /slave\.cpp:\d+\] Agent attributes: \[ {2}\]$/],
  ['hostname', /slave\.cpp:\d+\] Agent hostname: 127\.0\.0\.1$/],
  ['recovering', /state\.cpp:\d+\] Recovering state from '.*\/meta'$/],
  ['new master', /slave\.cpp:\d+\] New master detected at master@127\.0\.0\.1:\d+$/],
  ['no credentials', /slave\.cpp:\d+\] No credentials provided\. Attempting to register without authentication$/],
  ['reregistered', /slave\.cpp:\d+\] Re-registered with master master@127\.0\.0\.1:\d+$/],
  ['agent update', /slave\.cpp:\d+\] Forwarding agent update \{"operations":\{\},"resource_providers":\{\},"resource_version_uuid":\{"value":"[A-Za-z0-9+/=]+"\},"slave_id":\{"value":"[0-9a-f-]{36}-S\d+"\},"update_oversubscribed_resources":false\}$/],
];

function glogFiles(logDir: string): string {
  return fs
    .readdirSync(logDir)
    .filter((f) => /\.log\.INFO\./.test(f))
    .map((f) => fs.readFileSync(path.join(logDir, f), 'utf8'))
    .join('');
}

describe('glog files (after/master-log.txt, after/agent-log.txt)', () => {
  it('are named and laid out like the recorded ones', () => {
    const recorded = fs.readFileSync(transcript('after/master-log.txt'), 'utf8').split('\n');
    const names = recorded.slice(0, 4);
    const ours = fs.readdirSync(path.join(dir, 'master-log')).sort();
    const shape = (n: string) => n.replace(/\.[^.]+\.[^.]+\.log\./, '.H.U.log.').replace(/\d{8}-\d{6}\.\d+$/, 'T.P');
    expect(ours.map(shape)).toEqual(names.map(shape));
    const header = /^Log file created at: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\nRunning on machine: \S+\nLog line format: \[IWEF\]mmdd hh:mm:ss\.uuuuuu threadid file:line\] msg\n/;
    expect(recorded.slice(4).join('\n')).toMatch(header);
    expect(glogFiles(path.join(dir, 'master-log'))).toMatch(header);
  });

  it.each(MASTER_LINES)('master: %s', (_name, pattern) => {
    const recorded = fs.readFileSync(transcript('after/master-log.txt'), 'utf8').split('\n');
    const ours = glogFiles(path.join(dir, 'master-log')).split('\n');
    expect(recorded.some((l) => pattern.test(l)), 'recorded').toBe(true);
    expect(ours.some((l) => pattern.test(l)), 'emulated').toBe(true);
  });

  it.each(AGENT_LINES)('agent: %s', (_name, pattern) => {
    const recorded = fs.readFileSync(transcript('after/agent-log.txt'), 'utf8').split('\n');
    const ours = glogFiles(path.join(dir, 'agent0-log')).split('\n');
    expect(recorded.some((l) => pattern.test(l)), 'recorded').toBe(true);
    expect(ours.some((l) => pattern.test(l)), 'emulated').toBe(true);
  });

  it('agent: "Registered with master …; given agent ID …" at first registration (wording from slave.cpp; not in the recording)', () => {
    const ours = glogFiles(path.join(dir, 'agent1-log'));
    expect(ours).toMatch(/slave\.cpp:\d+\] Registered with master master@127\.0\.0\.1:\d+; given agent ID [0-9a-f-]{36}-S\d+\n/);
  });

  it('every line of the emulated logs has the glog format', () => {
    const line = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ [\w.]+:\d+\] /;
    for (const d of ['master-log', 'agent0-log', 'agent1-log']) {
      const text = glogFiles(path.join(dir, d));
      const lines = text.split('\n').slice(3).filter((l) => /^[IWEF]\d{4} /.test(l));
      expect(lines.length).toBeGreaterThan(10);
      for (const l of lines) expect(l).toMatch(line);
    }
  });

  it('log to stderr as well, so `docker logs` shows them', () => {
    expect(master.output()).toMatch(/Elected as the leading master!/);
  });
});
