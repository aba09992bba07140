import { CALL_ACCESS, EVENT_ACCESS } from '@shared/contract/access';
import { isCallName, isEventName } from '@shared/contract';
import type { Envelope } from '@shared/errors';
import type { Dispatcher } from '../api/dispatcher';

/**
 * The API as a viewer's token gets it: subscriptions and reads go through; every write (shared/contract/access.ts)
 * is refused here, on the host, naming the field (the call's `name`) and the reason, whatever the page does.
 */
export function viewerDispatcher(inner: Dispatcher): Dispatcher {
  return {
    async call(name, input): Promise<Envelope> {
      if (isCallName(name)) {
        const access = CALL_ACCESS[name];
        if (access.kind === 'write') {
          const reason = `${name} ${access.reason}: the audience view is read-only`;
          return { ok: false, error: { code: 'forbidden', message: `Refused: ${reason}.`, detail: { issues: [{ path: 'name', message: reason }], call: name, reason: 'read-only viewer' } } };
        }
      }
      return inner.call(name, input);
    },
    subscribe(name, params, listener) {
      if (isEventName(name) && EVENT_ACCESS[name].kind !== 'read') {
        return { ok: false, error: { code: 'forbidden', message: `Refused: ${name} is not open to viewers.`, detail: { issues: [{ path: 'name', message: 'not open to viewers' }] } } };
      }
      return inner.subscribe(name, params, listener);
    },
  };
}
