// The open SUBSCRIBE streams of the scheduler API (docs/mesos/api.md §3.1): one per framework, RecordIO of
// JSON events with a `Mesos-Stream-Id`, a HEARTBEAT at once and every 15 s.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { JsonObject } from '../common/json';
import { recordioFrame } from '../http/recordio';

/** DEFAULT_HEARTBEAT_INTERVAL (src/master/constants.hpp). */
export const SCHEDULER_HEARTBEAT_SECS = 15;

export class SchedulerStream {
  readonly id = randomUUID();
  private readonly timer: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly res: http.ServerResponse,
    heartbeatMs: number,
    onClose: (stream: SchedulerStream) => void,
  ) {
    // Content-Type is the negotiated Accept type, not application/recordio (transcripts/basic/sched.calls.jsonl).
    res.writeHead(200, { 'Mesos-Stream-Id': this.id, 'Content-Type': 'application/json' });
    res.flushHeaders();
    this.timer = setInterval(() => this.send({ type: 'HEARTBEAT' }), heartbeatMs);
    this.timer.unref();
    res.on('close', () => {
      clearInterval(this.timer);
      if (this.ended) return;
      this.ended = true;
      onClose(this);
    });
  }

  get open(): boolean {
    return !this.ended;
  }

  send(event: JsonObject): void {
    if (!this.ended && !this.res.writableEnded) this.res.write(recordioFrame(event));
  }

  /** Ends the stream from the master's side; `onClose` is not called. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    this.res.end();
  }
}

export class SchedulerStreams {
  private readonly streams = new Map<string, SchedulerStream>();

  constructor(readonly heartbeatMs = SCHEDULER_HEARTBEAT_SECS * 1000) {}

  get(frameworkId: string): SchedulerStream | undefined {
    return this.streams.get(frameworkId);
  }

  set(frameworkId: string, stream: SchedulerStream): void {
    this.streams.set(frameworkId, stream);
  }

  delete(frameworkId: string, stream?: SchedulerStream): void {
    if (stream && this.streams.get(frameworkId) !== stream) return;
    this.streams.delete(frameworkId);
  }

  /** Sends to the framework's stream; false when it has none. */
  send(frameworkId: string, event: JsonObject): boolean {
    const s = this.streams.get(frameworkId);
    if (!s?.open) return false;
    s.send(event);
    return true;
  }

  /** Every connected framework (FAILURE events go to all, `sendSlaveLost`). */
  broadcast(event: JsonObject): void {
    for (const s of this.streams.values()) s.send(event);
  }

  endAll(): void {
    for (const s of this.streams.values()) s.end();
    this.streams.clear();
  }
}
