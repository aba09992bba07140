import type { ExecService } from '../../exec/exec-service';
import type { CallHandlers, EventHandlers } from '../dispatcher';
import { mapErrors, toApiError } from '../engine-errors';

type ExecCalls = Pick<CallHandlers, 'exec.input' | 'exec.resize' | 'exec.ack'>;

export function execHandlers(exec: ExecService): { calls: ExecCalls; events: Pick<EventHandlers, 'exec.session'> } {
  return {
    calls: {
      'exec.input': mapErrors(async ({ sessionId, data, eof }) => {
        exec.input(sessionId, Buffer.from(data, 'base64'), eof);
        return {};
      }),
      'exec.resize': mapErrors(async ({ sessionId, cols, rows }) => {
        await exec.resize(sessionId, { cols, rows });
        return {};
      }),
      'exec.ack': async ({ sessionId, bytes }) => {
        exec.ack(sessionId, bytes);
        return {};
      },
    },
    events: {
      'exec.session': async (params, emit, signal) => {
        try {
          await exec.session(params, emit, signal);
        } catch (err) {
          throw toApiError(err);
        }
      },
    },
  };
}
