import {
  type CallArgs,
  type CallName,
  type CallOutput,
  contract,
  type EventName,
  type EventParams,
  type EventPayload,
  isCallName,
  isEventName,
} from '@shared/contract';
import { ApiError, type ApiErrorData, type Envelope, toErrorData } from '@shared/errors';
import type { SubscriptionListener } from '@shared/api/transport';
import { fieldIssues, invalidInput } from '@shared/validation';

export type CallHandlers = {
  [N in CallName]: (input: CallArgs<N>) => Promise<CallOutput<N>>;
};

/**
 * Starts a subscription: emit payloads until `signal` aborts. A rejected promise ends the
 * subscription with that error.
 */
export type EventHandlers = {
  [E in EventName]: (
    params: EventParams<E>,
    emit: (payload: EventPayload<E>) => void,
    signal: AbortSignal,
  ) => void | Promise<void>;
};

export interface Handlers {
  calls: CallHandlers;
  events: EventHandlers;
}

export type SubscribeResult = { ok: true; unsubscribe: () => void } | { ok: false; error: ApiErrorData };

/**
 * The one entry point every transport uses. Whatever arrives is untrusted: names are checked against
 * the contract, inputs parsed with its schemas; outputs are parsed too, so a handler cannot send
 * the UI something the contract does not allow (hot subscriptions' payloads: see DispatcherOptions).
 */
export interface Dispatcher {
  call(name: unknown, input: unknown): Promise<Envelope>;
  subscribe(name: unknown, params: unknown, listener: SubscriptionListener): SubscribeResult;
}

export interface DispatcherOptions {
  /**
   * Check the payloads of hot subscriptions (`hot` in the contract) too. Default true; the app's core
   * turns it off outside tests: their data was checked where it entered, and parsing every batch again
   * cost the main process most of a core at 1,000 task updates a second (bench:events).
   */
  checkHotPayloads?: boolean;
}

export function createDispatcher(handlers: Handlers, { checkHotPayloads = true }: DispatcherOptions = {}): Dispatcher {
  return {
    async call(name, input) {
      if (!isCallName(name)) {
        return failure(new ApiError('unknown-call', `No call named ${JSON.stringify(name)} in the API.`));
      }
      const spec = contract.calls[name];
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) return failure(invalidInput(name, parsed.error));
      try {
        const handler = handlers.calls[name] as (input: unknown) => Promise<unknown>;
        const output = spec.output.safeParse(await handler(parsed.data));
        if (!output.success) {
          const detail = { issues: fieldIssues(output.error) };
          return failure(new ApiError('internal', `${name} produced output the contract does not allow`, detail));
        }
        return { ok: true, value: output.data };
      } catch (err) {
        return { ok: false, error: toErrorData(err) };
      }
    },

    subscribe(name, params, listener) {
      if (!isEventName(name)) {
        return failure(new ApiError('unknown-call', `No event named ${JSON.stringify(name)} in the API.`));
      }
      const spec = contract.events[name];
      const parsed = spec.params.safeParse(params);
      if (!parsed.success) return failure(invalidInput(name, parsed.error));

      const controller = new AbortController();
      const end = (error: ApiErrorData) => {
        if (controller.signal.aborted) return;
        controller.abort();
        listener.error(error);
      };
      const trusted = 'hot' in spec && spec.hot !== undefined && !checkHotPayloads;
      const emit = (payload: unknown) => {
        if (controller.signal.aborted) return;
        if (trusted) {
          listener.next(payload);
          return;
        }
        const checked = spec.payload.safeParse(payload);
        if (checked.success) listener.next(checked.data);
        else end({ code: 'internal', message: `${name} produced a payload the contract does not allow` });
      };
      try {
        const handler = handlers.events[name] as (
          params: unknown,
          emit: (payload: unknown) => void,
          signal: AbortSignal,
        ) => void | Promise<void>;
        Promise.resolve(handler(parsed.data, emit, controller.signal)).catch((err) => end(toErrorData(err)));
      } catch (err) {
        return { ok: false, error: toErrorData(err) };
      }
      return { ok: true, unsubscribe: () => controller.abort() };
    },
  };
}

function failure(error: ApiError): { ok: false; error: ApiErrorData } {
  return { ok: false, error: error.toData() };
}
