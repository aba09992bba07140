import { z } from 'zod';
import { AgentSpecSchema } from '../cluster/spec';
import { ClusterSummarySchema, LaunchProgressSchema } from '../cluster/status';
import { DeltaBatchSchema } from '../dashboard/deltas';
import { DockerStatusSchema } from '../docker';
import { ImageReferenceSchema } from '../image-reference';
import { ImageCheckSchema } from '../images';
import { SettingsPatchSchema, SettingsViewSchema } from '../settings';
import { attachCalls, attachEvents } from './attach';
import { defineCall, defineEvent } from './define';
import { doctorCalls } from './doctor';
import { execCalls, execEvents } from './exec';
import { logCalls, logEvents } from './logs';
import { mesosCalls } from './mesos';
import { taskCalls } from './tasks';
import { runCalls, runEvents } from './runs';
import { questionCalls, questionEvents } from './questions';
import { serviceCalls, serviceEvents } from './services';
import { tourCalls, tourEvents } from './tours';

const NoInput = z.object({}).strict();
const ClusterName = z.string().min(1).max(64);

export const DestroyReportSchema = z.object({
  cluster: z.string(),
  containers: z.number().int(),
  taskContainers: z.number().int(),
  volumes: z.number().int(),
  networks: z.number().int(),
  workDirs: z.array(z.string()),
  leftovers: z.array(z.string()),
});

/**
 * The one API between the UI and the host. Every transport (Electron IPC, the web host's WebSocket,
 * in-process) serves exactly this, and every input is validated against it on the host side.
 */
export const contract = {
  calls: {
    'docker.status': defineCall({
      description: 'Probe the Docker engine now: version and resources, or why it cannot be reached.',
      input: NoInput,
      output: DockerStatusSchema,
    }),
    'settings.get': defineCall({
      description: 'The stored settings and the Docker endpoint in effect.',
      input: NoInput,
      output: SettingsViewSchema,
    }),
    'settings.update': defineCall({
      description: 'Change settings; fields left out keep their value. Returns the new view.',
      input: SettingsPatchSchema,
      output: SettingsViewSchema,
    }),
    'images.check': defineCall({
      description:
        'For each image: present locally, and the architectures it is built for, with a warning when the Docker host is another. The registry is asked only with askRegistry.',
      input: z.object({ images: z.array(ImageReferenceSchema).max(10), askRegistry: z.boolean().default(false) }).strict(),
      output: z.array(ImageCheckSchema),
    }),
    'clusters.list': defineCall({
      description: 'Every cluster on the Docker engine, rediscovered from container labels.',
      input: NoInput,
      output: z.array(ClusterSummarySchema),
    }),
    'clusters.create': defineCall({
      description:
        'Launch a cluster from a spec (validated on the host, Settings supplying default images); resolves when every node is ready. Progress comes as clusters.launchProgress.',
      input: z.object({ spec: z.unknown() }).strict(),
      output: ClusterSummarySchema,
    }),
    'clusters.resume': defineCall({
      description: 'Create and start whatever a half-made or stopped cluster lacks; resolves when every node is ready.',
      input: z.object({ name: ClusterName }).strict(),
      output: ClusterSummarySchema,
    }),
    'clusters.stop': defineCall({
      description: 'Stop every node of the cluster (agents first); Resume starts it again.',
      input: z.object({ name: ClusterName }).strict(),
      output: ClusterSummarySchema,
    }),
    'clusters.destroy': defineCall({
      description: 'Remove every container, network, volume, task container and work dir of the cluster.',
      input: z.object({ name: ClusterName }).strict(),
      output: DestroyReportSchema,
    }),
    'clusters.removeAll': defineCall({
      description: 'Remove every Mesoscope resource on the engine (clean-up after a crash).',
      input: NoInput,
      output: z.array(DestroyReportSchema),
    }),
    'clusters.nodeAction': defineCall({
      description: "Stop, start, restart, pause or unpause one node's container.",
      input: z
        .object({ cluster: ClusterName, node: z.string().min(1), action: z.enum(['stop', 'start', 'restart', 'pause', 'unpause']) })
        .strict(),
      output: z.object({}),
    }),
    'clusters.addAgent': defineCall({
      description: 'Add an agent to a running cluster; resolves when it is registered.',
      input: z.object({ cluster: ClusterName, agent: AgentSpecSchema.partial().optional() }).strict(),
      output: ClusterSummarySchema,
    }),
    'clusters.removeAgent': defineCall({
      description: 'Remove one agent (its container and its place in the cluster).',
      input: z.object({ cluster: ClusterName, index: z.number().int().min(1) }).strict(),
      output: ClusterSummarySchema,
    }),
    ...logCalls,
    ...taskCalls,
    ...runCalls,
    ...serviceCalls,
    ...doctorCalls,
    ...mesosCalls,
    ...questionCalls,
    ...execCalls,
    ...tourCalls,
    ...attachCalls,
  },
  events: {
    'dashboard.deltas': defineEvent({
      description:
        "A cluster's live Mesos view: first a batch holding a snapshot (seq 0), then batches of deltas (agents, frameworks, tasks: a new one with its whole status history, a known one with only its new statuses; offers, masters with the leader, connection, metrics), at most one batch every 100 ms while the cluster is busy. After any snapshot, seq counts on from that batch; a gap means a batch was missed. offers: poll the outstanding offers while subscribed.",
      params: z.object({ cluster: ClusterName, offers: z.boolean().default(false) }).strict(),
      payload: DeltaBatchSchema,
      hot: 'operator events are parsed with their schemas where they arrive (MasterClient), the deltas built from them by ClusterModel',
    }),
    'dashboard.watchOffers': defineEvent({
      description:
        "Polls a cluster's outstanding offers while subscribed; they arrive in its dashboard.deltas. Sends one event when the watch is on. For a view that shows offers for a while (a tab) beside a dashboard.deltas subscription it keeps: changing that subscription's offers would cost a whole new snapshot.",
      params: z.object({ cluster: ClusterName }).strict(),
      payload: z.object({ cluster: z.string(), watching: z.literal(true) }),
    }),
    'clusters.changed': defineEvent({
      description: 'All clusters at once, then again whenever a node changes state (from Docker events).',
      params: NoInput,
      payload: z.array(ClusterSummarySchema),
    }),
    'clusters.launchProgress': defineEvent({
      description: 'Each step of each node of every launch under way: pulling (with bytes), creating, starting, waiting, ready, failed.',
      params: NoInput,
      payload: LaunchProgressSchema,
    }),
    'docker.statusChanged': defineEvent({
      description: 'The current Docker status at once, then every change of it (gone, back, other engine).',
      params: NoInput,
      payload: DockerStatusSchema,
    }),
    ...runEvents,
    ...serviceEvents,
    ...logEvents,
    ...questionEvents,
    ...execEvents,
    ...tourEvents,
    ...attachEvents,
  },
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract['calls'];
export type EventName = keyof Contract['events'];

/** What a caller passes (before defaults are applied). */
export type CallInput<N extends CallName> = z.input<Contract['calls'][N]['input']>;
/** What a handler receives (after parsing). */
export type CallArgs<N extends CallName> = z.output<Contract['calls'][N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract['calls'][N]['output']>;

export type EventParamsInput<E extends EventName> = z.input<Contract['events'][E]['params']>;
export type EventParams<E extends EventName> = z.output<Contract['events'][E]['params']>;
export type EventPayload<E extends EventName> = z.output<Contract['events'][E]['payload']>;

export const CALL_NAMES = Object.keys(contract.calls) as CallName[];
export const EVENT_NAMES = Object.keys(contract.events) as EventName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(contract.calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(contract.events, name);
}
