import { z } from 'zod';
import { ClusterNameSchema } from '../runs/schemas';
import { ImageReferenceSchema } from '../image-reference';
import { TOUR_TABS, TourSceneSchema } from '../tours/schema';
import { defineCall, defineEvent } from './define';

/** Guided tours (shared/tours) run on the host, and the audience's read-only view of a cluster. */

export const ScenePhaseSchema = z.enum(['ready', 'acting', 'waiting', 'landed', 'missed', 'failed']);
export type ScenePhase = z.infer<typeof ScenePhaseSchema>;

export const SceneResultSchema = z.object({
  phase: ScenePhaseSchema,
  /** What happened, in words: the outcome seen, or what was waited for and did not come, or the error. */
  message: z.string().optional(),
  /** When the outcome did not come: the doctor's word on the scene's task. */
  doctor: z.string().optional(),
  /** How long the action and the wait took. */
  elapsedMs: z.number().optional(),
});
export type SceneResult = z.infer<typeof SceneResultSchema>;

/** Where the UI points: the tab, the task's row (its key in the Mesos view) and the doctor's verdict on it, a node. */
export const ResolvedHighlightSchema = z.object({
  tab: z.enum(TOUR_TABS),
  taskKey: z.string().optional(),
  taskId: z.string().optional(),
  node: z.string().optional(),
  /** The doctor's verdict on the task, in a few words. */
  verdict: z.string().optional(),
});
export type ResolvedHighlight = z.infer<typeof ResolvedHighlightSchema>;

export const TourStateSchema = z.object({
  active: z.boolean(),
  tourId: z.string().optional(),
  title: z.string().optional(),
  cluster: z.string().optional(),
  index: z.number().int(),
  count: z.number().int(),
  scene: TourSceneSchema.optional(),
  result: SceneResultSchema.optional(),
  highlight: ResolvedHighlightSchema.optional(),
  /** Every scene's result so far (null: not acted yet). */
  results: z.array(SceneResultSchema.nullable()),
});
export type TourState = z.infer<typeof TourStateSchema>;

export const TourSummarySchema = z.object({ id: z.string(), title: z.string(), summary: z.string(), scenes: z.number().int(), masters: z.number().int(), agents: z.number().int() });

export const SharingStateSchema = z.object({
  on: z.boolean(),
  cluster: z.string().optional(),
  /** The link to give the audience (its viewer token included). */
  url: z.string().optional(),
  address: z.string().optional(),
  port: z.number().int().optional(),
  /** Sockets open with the viewer token now. */
  viewers: z.number().int(),
  /** Said when the address is not loopback. */
  warning: z.string().optional(),
});
export type SharingState = z.infer<typeof SharingStateSchema>;

export const ListenAddressSchema = z.object({ address: z.string(), label: z.string(), loopback: z.boolean() });

export const tourCalls = {
  'tours.list': defineCall({
    description: 'The guided tours shipped with the app (shared/tours/data).',
    input: z.object({}).strict(),
    output: z.array(TourSummarySchema),
  }),
  'tours.start': defineCall({
    description: "Start a tour at its first scene (one tour at a time: a tour under way is ended). Its cluster is named `cluster` (default tour-<id>); fault tasks run taskImage; services run serviceImage instead of the image the tour names.",
    input: z.object({ tour: z.string().min(1).max(64), cluster: ClusterNameSchema.optional(), taskImage: ImageReferenceSchema.optional(), serviceImage: ImageReferenceSchema.optional() }).strict(),
    output: TourStateSchema,
  }),
  'tours.act': defineCall({
    description: "Do the current scene's action and wait (bounded) for its outcome; resolves with the scene's result: landed, or missed with the doctor's word, or failed with the error.",
    input: z.object({}).strict(),
    output: TourStateSchema,
  }),
  'tours.go': defineCall({
    description: "Move through the tour: next or back a scene (no action is undone), or restart (the tour's cluster is removed, back to the first scene).",
    input: z.object({ to: z.enum(['next', 'back', 'restart']) }).strict(),
    output: TourStateSchema,
  }),
  'tours.end': defineCall({
    description: "End the tour under way; destroy: also remove the cluster it launched.",
    input: z.object({ destroy: z.boolean().default(false) }).strict(),
    output: TourStateSchema,
  }),
  'sharing.addresses': defineCall({
    description: "The addresses the audience view can listen on: loopback, and this machine's network addresses (LAN: anyone on that network with the link can watch).",
    input: z.object({}).strict(),
    output: z.array(ListenAddressSchema),
  }),
  'sharing.start': defineCall({
    description: "Turn on the audience's read-only view of one cluster: a listener on the address chosen (loopback by default) with a viewer token that allows subscriptions and reads only.",
    input: z.object({ cluster: ClusterNameSchema, address: z.string().min(1).max(64).default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(0) }).strict(),
    output: SharingStateSchema,
  }),
  'sharing.stop': defineCall({
    description: "Turn the audience view off: its listener closes and every viewer's socket with it.",
    input: z.object({}).strict(),
    output: SharingStateSchema,
  }),
};

export const tourEvents = {
  'tours.state': defineEvent({
    description: "The tour under way (scene, its result, what to point at) at once, then on every change; viewers follow the presenter's highlights through it.",
    params: z.object({}).strict(),
    payload: TourStateSchema,
  }),
  'sharing.state': defineEvent({
    description: 'The audience view: on or off, its link, its address and the number of viewers, at once and on every change.',
    params: z.object({}).strict(),
    payload: SharingStateSchema,
  }),
};
