import type { MesoscopeClient } from '@shared/api/client';
import type { EventParamsInput } from '@shared/contract';

/**
 * Reads a log as the viewer does (logs.follow), handing each batch of whole lines to `write` and
 * acknowledging it once written (the stream reads on only so far ahead of what was taken). Resolves
 * at the stream's end (the task ended, the file was read), or when `signal` aborts.
 */
export function streamLog(
  api: MesoscopeClient,
  params: EventParamsInput<'logs.follow'>,
  write: (text: string, done: () => void) => void,
  signal?: AbortSignal,
  onProblem?: (message: string) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let streamId = '';
    let taken = 0;
    const finish = () => {
      signal?.removeEventListener('abort', finish);
      stop();
      resolve();
    };
    const stop = api.subscribe(
      'logs.follow',
      params,
      (event) => {
        if (event.kind === 'open') streamId = event.streamId;
        else if (event.kind === 'data') {
          write(event.text, () => {
            taken += event.bytes;
            void api.call('logs.ack', { streamId, bytes: taken }).catch(() => undefined);
          });
        } else if (event.kind === 'problem') onProblem?.(event.message);
        else if (event.kind === 'end') finish();
      },
      (error) => {
        signal?.removeEventListener('abort', finish);
        reject(error);
      },
    );
    if (signal?.aborted) finish();
    else signal?.addEventListener('abort', finish, { once: true });
  });
}
