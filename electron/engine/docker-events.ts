import type Dockerode from 'dockerode';
import { LABEL } from './naming';

/**
 * Follows Docker's events about Mesoscope's containers until the signal aborts, calling `changed` for
 * each, and once after every (re)connection since events may have been missed meanwhile. Reconnects
 * with backoff (250 ms doubling to 5 s) while Docker is away; `reconnect()` drops the current stream
 * at once (the endpoint changed) and the next one is opened on the client `docker()` returns then.
 */
export class DockerEventsWatch {
  private current: AbortController | undefined;

  constructor(
    private readonly docker: () => Dockerode,
    private readonly changed: () => void,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    let delay = 250;
    while (!signal.aborted) {
      const round = new AbortController();
      const stopRound = () => round.abort();
      signal.addEventListener('abort', stopRound, { once: true });
      this.current = round;
      try {
        const stream = (await this.docker().getEvents({
          filters: { label: [LABEL.cluster], type: ['container'] },
          abortSignal: round.signal,
        } as never)) as unknown as NodeJS.ReadableStream;
        delay = 250;
        this.changed();
        await new Promise<void>((resolve) => {
          stream.on('data', () => this.changed());
          stream.on('end', resolve);
          stream.on('error', () => resolve());
          round.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      } catch {
        // Docker away: try again.
      } finally {
        signal.removeEventListener('abort', stopRound);
      }
      if (signal.aborted) return;
      if (!round.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  reconnect(): void {
    this.current?.abort();
  }
}
