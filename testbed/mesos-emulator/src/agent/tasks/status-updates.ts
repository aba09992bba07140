// The agent's task status update manager (src/slave/task_status_update_manager.cpp): per task,
// one update in flight at a time; it is resent (10 s, doubling up to 10 min) until the framework's
// acknowledgement comes back, and later updates wait behind it (docs/mesos/api.md §0.8). Sending pauses while
// the agent is not registered and resumes, resending, when it is.
import type { StatusJson, StatusUpdateMessage } from '../../internal/messages';

const RETRY_MIN_MS = 10_000;
const RETRY_MAX_MS = 600_000;

interface Stream {
  frameworkId: string;
  taskId: string;
  pending: StatusJson[];
  timer?: NodeJS.Timeout;
  intervalMs: number;
}

export interface StatusUpdateSink {
  /** Sends one update to the master; false when it could not be delivered. */
  send(msg: StatusUpdateMessage): Promise<boolean>;
  /** The agent's latest state of the task (StatusUpdateMessage.latest_state). */
  latestState(frameworkId: string, taskId: string): string;
  /** The head update was acknowledged. */
  acknowledged(frameworkId: string, taskId: string, status: StatusJson): void;
  log(source: string, message: string, warning?: boolean): void;
}

export class StatusUpdateManager {
  private readonly streams = new Map<string, Stream>();
  private paused = true;

  constructor(private readonly sink: StatusUpdateSink) {}

  private key(frameworkId: string, taskId: string): string {
    return `${frameworkId}\u0000${taskId}`;
  }

  enqueue(frameworkId: string, status: StatusJson): void {
    const k = this.key(frameworkId, status.task_id.value);
    let s = this.streams.get(k);
    if (!s) {
      s = { frameworkId, taskId: status.task_id.value, pending: [], intervalMs: RETRY_MIN_MS };
      this.streams.set(k, s);
    }
    s.pending.push(status);
    if (s.pending.length === 1) this.forward(s, false);
  }

  /** Returns false for an acknowledgement of something not in flight. */
  acknowledge(frameworkId: string, taskId: string, uuid: string): boolean {
    const k = this.key(frameworkId, taskId);
    const s = this.streams.get(k);
    const head = s?.pending[0];
    if (!s || !head || head.uuid !== uuid) return false;
    clearTimeout(s.timer);
    s.pending.shift();
    s.intervalMs = RETRY_MIN_MS;
    this.sink.acknowledged(frameworkId, taskId, head);
    if (s.pending.length > 0) this.forward(s, false);
    else this.streams.delete(k);
    return true;
  }

  pending(frameworkId: string, taskId: string): StatusJson[] {
    return this.streams.get(this.key(frameworkId, taskId))?.pending ?? [];
  }

  pause(): void {
    if (!this.paused) this.sink.log('task_status_update_manager.cpp:181', 'Pausing sending task status updates');
    this.paused = true;
  }

  resume(): void {
    this.sink.log('task_status_update_manager.cpp:188', 'Resuming sending task status updates');
    this.paused = false;
    for (const s of this.streams.values()) if (s.pending.length > 0) this.forward(s, true);
  }

  /** The framework is gone: its updates will never be acknowledged. */
  dropFramework(frameworkId: string): void {
    for (const [k, s] of this.streams) {
      if (s.frameworkId !== frameworkId) continue;
      clearTimeout(s.timer);
      this.streams.delete(k);
    }
  }

  stop(): void {
    for (const s of this.streams.values()) clearTimeout(s.timer);
  }

  private forward(s: Stream, resend: boolean): void {
    clearTimeout(s.timer);
    const head = s.pending[0];
    if (!head) return;
    if (!this.paused) {
      if (resend) this.sink.log('task_status_update_manager.cpp:195', `Resending task status update ${head.state} for task ${s.taskId} of framework ${s.frameworkId}`, true);
      void this.sink.send({ framework_id: s.frameworkId, status: head, latest_state: this.sink.latestState(s.frameworkId, s.taskId) });
    }
    s.timer = setTimeout(() => {
      s.intervalMs = Math.min(s.intervalMs * 2, RETRY_MAX_MS);
      this.forward(s, true);
    }, s.intervalMs);
    s.timer.unref();
  }
}
