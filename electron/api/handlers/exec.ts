import { ApiError } from '@shared/errors';
import { MAX_INPUT_BYTES } from '@shared/exec/schema';
import type { ExecService } from '../../exec/exec-service';
import type { CallHandlers, EventHandlers } from '../dispatcher';
import { mapErrors, toApiError } from '../engine-errors';

type ExecCalls = Pick<CallHandlers, 'exec.input' | 'exec.resize' | 'exec.ack'>;

export function execHandlers(exec: ExecService): { calls: ExecCalls; events: Pick<EventHandlers, 'exec.session'> } {
  return {
    calls: {
      'exec.input': mapErrors(async ({ sessionId, data, eof }) => {
        const bytes = Buffer.from(data, 'base64');
        // The schema bounds the base64 text; its padding lets one or two bytes more through.
        if (bytes.length > MAX_INPUT_BYTES) throw new ApiError('invalid-input', `exec.input: ${bytes.length} bytes in one call: at most ${MAX_INPUT_BYTES} bytes (64 KiB) per call; send a long input in pieces`);
        exec.input(sessionId, bytes, eof);
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
