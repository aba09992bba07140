// The operator event stream (v1 SUBSCRIBE) against transcripts/basic/ (headers, first
// events, RecordIO framing) and the agent events of transcripts/fault-*/ and docs/mesos/api.md §2.3.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordIODecoder, startAgent, startMaster, type AgentHandle, type MasterHandle } from '../mesos-emulator/src/index';
import { agentFlags, masterFlags, sink, tempDir } from './support/cluster';
import { fromApiMd } from './support/fixtures';
import { call, request, subscribe } from './support/http-client';
import { compareShape } from './support/shape';
import { readEvents, readJson, transcript } from './support/transcripts';

let master: MasterHandle;
let dir: string;
const agents: AgentHandle[] = [];

beforeAll(async () => {
  dir = tempDir('stream');
  master = await startMaster({ flags: masterFlags(dir), stderr: sink(), heartbeatMs: 300 });
  await master.leaderDetected();
  // Like the recording: two agents registered, no frameworks yet, when the stream opens.
  for (const i of [10, 11]) agents.push(await startAgent({ flags: agentFlags(dir, `127.0.0.1:${master.port}`, i), stderr: sink() }));
  await Promise.all(agents.map((a) => a.waitRegistered()));
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await master?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('RecordIO framing (basic/operator.stream.recordio)', () => {
  it('decodes the recorded stream into the recorded events', () => {
    const decoder = new RecordIODecoder();
    const records = decoder.push(fs.readFileSync(transcript('basic/operator.stream.recordio')));
    const events = readEvents('basic/operator.events.jsonl').map((e) => e.event);
    expect(records.map((r) => JSON.parse(r.toString('utf8')) as unknown)).toEqual(events);
  });
});

describe('SUBSCRIBE (basic/operator.response-headers.json, basic/operator.events.jsonl)', () => {
  it('answers 200 chunked application/json, then SUBSCRIBED and HEARTBEAT at once', async () => {
    const headers = readJson('basic/operator.response-headers.json') as { status: number; headers: Record<string, string> };
    const recorded = readEvents('basic/operator.events.jsonl');
    const s = await subscribe(master.url);
    try {
      expect(s.status).toBe(headers.status);
      expect(s.headers['content-type']).toBe(headers.headers['content-type']);
      expect(s.headers['transfer-encoding']).toBe(headers.headers['transfer-encoding']);
      expect(s.headers['mesos-stream-id']).toBeUndefined();
      await s.waitFor('HEARTBEAT');
      expect(s.events.slice(0, 2).map((e) => e.type)).toEqual(['SUBSCRIBED', 'HEARTBEAT']);
      expect(recorded.slice(0, 2).map((e) => e.event.type)).toEqual(['SUBSCRIBED', 'HEARTBEAT']);
      expect(compareShape(recorded[0]!.event, s.events[0])).toEqual([]);
      const subscribed = s.events[0]!.subscribed as { heartbeat_interval_seconds: number };
      expect(subscribed.heartbeat_interval_seconds).toBe(15);
    } finally {
      s.close();
    }
  });

  it('keeps sending heartbeats', async () => {
    const s = await subscribe(master.url);
    try {
      await s.waitFor('HEARTBEAT');
      await s.waitFor('HEARTBEAT', 5000, 2);
    } finally {
      s.close();
    }
  });

  it('counts subscribers in master/operator_event_stream_subscribers', async () => {
    const s = await subscribe(master.url);
    try {
      await s.waitFor('HEARTBEAT');
      const m = (await request(`${master.url}/metrics/snapshot`)).json() as Record<string, number>;
      expect(m['master/operator_event_stream_subscribers']).toBe(1);
    } finally {
      s.close();
    }
  });
});

describe('agent events', () => {
  it('AGENT_ADDED on registration, shaped like the recorded one (fault-stop-legacy, fault-pause-legacy)', async () => {
    const s = await subscribe(master.url);
    const agent = await startAgent({ flags: agentFlags(dir, `127.0.0.1:${master.port}`, 1), stderr: sink() });
    try {
      const added = await s.waitFor('AGENT_ADDED');
      for (const file of ['fault-stop-legacy/operator.events.jsonl', 'fault-pause-legacy/operator.events.jsonl']) {
        const recorded = readEvents(file).find((e) => e.event.type === 'AGENT_ADDED')!.event;
        // The recorded ones are re-admissions after the agent was unreachable: they carry
        // reregistered_time, allocated_resources (a task ran) and lack agent_info.checkpoint.
        // A first registration has none of the first two and has checkpoint:true.
        const diffs = compareShape(recorded, added, {
          allowMissing: ['agent_added.agent.reregistered_time', 'agent_added.agent.allocated_resources'],
          allowExtra: ['agent_added.agent.agent_info.checkpoint'],
        });
        expect(diffs).toEqual([]);
      }
      const info = (added.agent_added as { agent: { agent_info: { checkpoint?: boolean } } }).agent.agent_info;
      expect(info.checkpoint).toBe(true);
    } finally {
      s.close();
      await agent.stop();
    }
  });

  it('AGENT_REMOVED when an agent unregisters (docs/mesos/api.md §2.3 shape)', async () => {
    const fixture = fromApiMd<{ event: unknown }>('AGENT_REMOVED');
    const agent = await startAgent({ flags: agentFlags(dir, `127.0.0.1:${master.port}`, 2), stderr: sink() });
    const id = await agent.waitRegistered();
    const s = await subscribe(master.url);
    try {
      await s.waitFor('HEARTBEAT');
      await agent.unregister();
      const removed = await s.waitFor('AGENT_REMOVED');
      expect(compareShape(fixture.event, removed)).toEqual([]);
      expect((removed.agent_removed as { agent_id: { value: string } }).agent_id.value).toBe(id);
      const m = (await request(`${master.url}/metrics/snapshot`)).json() as Record<string, number>;
      expect(m['master/slave_removals/reason_unregistered']).toBe(1);
    } finally {
      s.close();
      await agent.stop();
    }
  });

  it('MARK_AGENT_GONE: 200, no AGENT_REMOVED, the agent is shut down (docs/mesos/api.md §2.2, §0.13)', async () => {
    const fixture = fromApiMd<{ status: number }>('MARK_AGENT_GONE');
    let exited = false;
    const agent = await startAgent({
      flags: agentFlags(dir, `127.0.0.1:${master.port}`, 3),
      stderr: sink(),
      onExit: () => (exited = true),
    });
    const id = await agent.waitRegistered();
    const s = await subscribe(master.url);
    try {
      await s.waitFor('HEARTBEAT');
      const r = await call(master.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: id } } });
      expect(r.status).toBe(fixture.status);
      expect(r.body.length).toBe(0);
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
      expect(exited).toBe(true);
      expect(s.events.some((e) => e.type === 'AGENT_REMOVED')).toBe(false);
      const state = (await request(`${master.url}/master/state`)).json() as { slaves: Array<{ id: string }> };
      expect(state.slaves.map((x) => x.id)).not.toContain(id);
      const again = await call(master.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: 'nope-S9' } } });
      expect(again.status).toBe(404);
      const missing = await call(master.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: {} });
      expect(missing.text()).toBe('Failed to convert JSON into Call protobuf: Missing required fields: mark_agent_gone.agent_id');
    } finally {
      s.close();
      await agent.stop();
    }
  });
});
