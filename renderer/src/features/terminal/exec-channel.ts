import type { MesoscopeClient } from '@shared/api/client';
import type { ApiError } from '@shared/errors';
import { type ExecParamsInput, MAX_INPUT_BYTES, type TerminalSize } from '@shared/exec/schema';
import { fromBase64, pieces, toBase64 } from './bytes';

export interface ExecChannelHandlers {
  /** A session began (again, after the host's connection came back: a new shell). */
  onOpen(title: string, again: boolean): void;
  /** Output; call `done` once the terminal has taken it (that is what is acknowledged). */
  onOutput(bytes: Uint8Array, done: () => void): void;
  onEnd(reason: string, exitCode: number | null): void;
  onError(error: ApiError): void;
  /** Input that could not be sent (the command does not read it); the session goes on. */
  onProblem(message: string): void;
}

/**
 * The renderer's side of one exec session: subscribes, acknowledges output once the terminal wrote
 * it, sends input in order (in pieces of the API's bound) and resizes. Works on any transport.
 */
export class ExecChannel {
  private sessionId = '';
  private taken = 0;
  private opened = 0;
  private sending: Promise<unknown> = Promise.resolve();
  private readonly stop: () => void;
  private ended = false;

  constructor(
    private readonly client: MesoscopeClient,
    params: ExecParamsInput,
    private readonly handlers: ExecChannelHandlers,
  ) {
    this.stop = client.subscribe(
      'exec.session',
      params,
      (event) => {
        if (event.kind === 'open') {
          this.sessionId = event.sessionId;
          this.taken = 0;
          this.opened += 1;
          handlers.onOpen(event.title, this.opened > 1);
        } else if (event.kind === 'output') {
          const id = this.sessionId;
          handlers.onOutput(fromBase64(event.data), () => {
            if (id !== this.sessionId) return;
            this.taken += event.bytes;
            void client.call('exec.ack', { sessionId: id, bytes: this.taken }).catch(() => undefined);
          });
        } else {
          this.ended = true;
          this.stop();
          handlers.onEnd(event.reason, event.exitCode);
        }
      },
      (error) => {
        this.ended = true;
        handlers.onError(error);
      },
    );
  }

  send(bytes: Uint8Array): void {
    if (this.ended || !this.sessionId || bytes.length === 0) return;
    const sessionId = this.sessionId;
    for (const piece of pieces(bytes, MAX_INPUT_BYTES)) {
      this.sending = this.sending
        .then(() => this.client.call('exec.input', { sessionId, data: toBase64(piece) }))
        .catch((error: ApiError) => {
          // Ended meanwhile: the end message says why. Anything else is said in the terminal.
          if (error.code !== 'not-found' && !this.ended) this.handlers.onProblem(error.message);
        });
    }
  }

  resize(size: TerminalSize): void {
    if (this.ended || !this.sessionId) return;
    void this.client.call('exec.resize', { sessionId: this.sessionId, ...size }).catch((error: ApiError) => {
      if (error.code !== 'not-found' && !this.ended) this.handlers.onProblem(`the terminal could not be resized: ${error.message}`);
    });
  }

  close(): void {
    this.ended = true;
    this.stop();
  }
}
