import { z } from 'zod';
import { DockerStatusSchema } from '../docker';
import { SettingsPatchSchema, SettingsViewSchema } from '../settings';
import { defineCall, defineEvent } from './define';

const NoInput = z.object({}).strict();

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
  },
  events: {
    'docker.statusChanged': defineEvent({
      description: 'The current Docker status at once, then every change of it (gone, back, other engine).',
      params: NoInput,
      payload: DockerStatusSchema,
    }),
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
