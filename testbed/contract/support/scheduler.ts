// A bare v1 scheduler for the contract tests (the app's SchedulerClient lives in electron/ and
// testbed/ must not use it): SUBSCRIBE on a stream, events decoded as they come, calls with the
// stream id, and a helper that acknowledges every update with a uuid, as the recorder did.
import http from 'node:http';
import { RecordIODecoder } from '../../mesos-emulator/src/index';
import { request, type Reply } from './http-client';
import { waitForEvent } from './event-waiter';

export type Event = { type: string } & Record<string, unknown>;
export type Status = {
  task_id: { value: string };
  state: string;
  message?: string;
  source?: string;
  reason?: string;
  uuid?: string;
  agent_id?: { value: string };
  container_status?: { container_id?: { value: string } };
} & Record<string, unknown>;

export interface Framework {
  status: number;
  headers: http.IncomingHttpHeaders;
  frameworkId: string;
  streamId: string;
  events: Event[];
  /** Resolves with the first event from `after` on that matches. */
  waitFor(match: (e: Event) => boolean, what: string, timeoutMs?: number, after?: number): Promise<Event>;
  waitForUpdate(taskId: string, state: string, timeoutMs?: number): Promise<Status>;
  updates(taskId?: string): Status[];
  call(type: string, body?: Record<string, unknown>): Promise<Reply>;
  /** Offers received and not yet taken, declined or rescinded. */
  outstanding: Map<string, Offer>;
  /** Resolves when the master ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export const RECORDER_INFO = {
  user: 'root',
  name: 'recorder',
  roles: ['*'],
  checkpoint: false,
  failover_timeout: 0,
  capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }],
};

export function subscribeFramework(
  baseUrl: string,
  frameworkInfo: Record<string, unknown> = RECORDER_INFO,
  opts: { autoAck?: boolean } = {},
): Promise<Framework> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/v1/scheduler`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      agent: false,
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`SUBSCRIBE answered ${res.statusCode}`));
        return;
      }
      const decoder = new RecordIODecoder();
      const events: Event[] = [];
      const waiters = new Set<() => void>();
      const streamId = String(res.headers['mesos-stream-id'] ?? '');
      let frameworkId = '';
      const fw: Framework = {
        status: res.statusCode,
        headers: res.headers,
        get frameworkId() {
          return frameworkId;
        },
        streamId,
        events,
        waitFor: (match, what, timeoutMs = 20_000, after = 0) => waitForEvent(events, waiters, match, what, timeoutMs, after),
        async waitForUpdate(taskId, state, timeoutMs) {
          const e = await fw.waitFor((x) => isUpdate(x, taskId, state), `UPDATE ${taskId} ${state}`, timeoutMs);
          return statusOf(e);
        },
        updates: (taskId) => events.filter((e) => e.type === 'UPDATE').map(statusOf).filter((s) => !taskId || s.task_id.value === taskId),
        call: (type, body) =>
          request(`${baseUrl}/api/v1/scheduler`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Mesos-Stream-Id': streamId },
            body: JSON.stringify({ framework_id: { value: frameworkId }, type, ...(body ? { [type.toLowerCase()]: body } : {}) }),
          }),
        outstanding: new Map(),
        ended: new Promise<void>((done) => {
          res.on('end', () => done());
          res.on('close', () => done());
        }),
        close: () => req.destroy(),
      };
      res.on('data', (chunk: Buffer) => {
        for (const record of decoder.push(chunk)) {
          const event = JSON.parse(record.toString('utf8')) as Event;
          events.push(event);
          if (event.type === 'OFFERS') for (const o of (event.offers as { offers: Offer[] }).offers) fw.outstanding.set(o.id.value, o);
          if (event.type === 'RESCIND') fw.outstanding.delete((event.rescind as { offer_id: { value: string } }).offer_id.value);
          if (event.type === 'SUBSCRIBED') {
            frameworkId = (event.subscribed as { framework_id: { value: string } }).framework_id.value;
            resolve(fw);
          }
          // Before SUBSCRIBED, an ERROR is the answer (docs/mesos/api.md §3.2); resolve() already happened otherwise.
          if (event.type === 'ERROR' && !frameworkId) reject(new Error((event.error as { message: string }).message));
          const status = event.type === 'UPDATE' ? statusOf(event) : undefined;
          if (status?.uuid && opts.autoAck !== false) {
            void fw.call('ACKNOWLEDGE', { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid }).catch(() => undefined);
          }
        }
        for (const w of [...waiters]) w();
      });
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } }));
  });
}

export const statusOf = (e: Event) => (e.update as { status: Status }).status;
export const isUpdate = (e: Event, taskId: string, state: string) =>
  e.type === 'UPDATE' && statusOf(e).task_id.value === taskId && statusOf(e).state === state;

export type Offer = { id: { value: string }; agent_id: { value: string }; resources: unknown[] } & Record<string, unknown>;

/** Takes an outstanding offer (for the agent, or any), waiting for one to come. */
export async function nextOffer(fw: Framework, agentId?: string, timeoutMs = 10_000): Promise<Offer> {
  const pick = () => [...fw.outstanding.values()].find((o) => !agentId || o.agent_id.value === agentId);
  if (!pick()) await fw.waitFor(() => pick() !== undefined, `an offer${agentId ? ` for ${agentId}` : ''}`, timeoutMs);
  const offer = pick()!;
  fw.outstanding.delete(offer.id.value);
  return offer;
}

/** ACCEPT one offer with LAUNCH of `tasks` (agent_id filled in), refusing the agent for 1 s like the recorder. */
export function launch(fw: Framework, offer: Offer, tasks: Array<Record<string, unknown>>): Promise<Reply> {
  return fw.call('ACCEPT', {
    offer_ids: [offer.id],
    operations: [{ type: 'LAUNCH', launch: { task_infos: tasks.map((t) => ({ ...t, agent_id: offer.agent_id })) } }],
    filters: { refuse_seconds: 1 },
  });
}

/** Gives back every outstanding offer, so other frameworks get the agents (nobody starves, docs/mesos/api.md §3.5). */
export async function declineAll(fw: Framework, refuseSeconds = 1): Promise<void> {
  const ids = [...fw.outstanding.values()].map((o) => o.id);
  fw.outstanding.clear();
  if (ids.length > 0) await fw.call('DECLINE', { offer_ids: ids, filters: { refuse_seconds: refuseSeconds } });
}
