import type Dockerode from 'dockerode';
import { isEvidenceLine } from '@shared/doctor/evidence-lines';
import type { MonitorRegistry } from '../dashboard/monitor-registry';
import type { MasterClientOptions } from '../mesos/master-client';
import type { ClusterEvidence } from '../doctor/cluster-evidence';
import type { ClusterEngine } from '../engine/cluster-engine';
import { attachedLayout, attachedMesosVersion } from './attached-header';
import { ClusterDockerEvents } from './docker-events';
import { type FileLogTarget, followFileLogs } from './file-logs';
import { followNodeLogs } from './node-logs';
import { type LogChoice, Recorder, type RecordingSummary } from './recorder';

/**
 * Records a running cluster of the engine: its monitor (shared with whoever watches the dashboard),
 * the Docker events of its containers and task containers, and its masters' and agents' log lines.
 * Evidence from the last `lookbackMs` before the start is included, so a task that died just before
 * recording began can still be explained from the file. When the doctor's evidence buffer runs beside
 * the monitor (`evidence`), the Docker events and the chosen log lines come from it: the cluster is
 * followed once, and the nodes it adds later are in the recording too.
 */

export interface RecordClusterDeps {
  docker: () => Dockerode;
  engine: Pick<ClusterEngine, 'get'>;
  monitors: Pick<MonitorRegistry, 'acquire'>;
  /** The cluster's live evidence buffer, when one runs (it starts with the monitor). */
  evidence?: (cluster: string) => Pick<ClusterEvidence, 'follow'> | undefined;
  /** Clusters Mesoscope did not start (electron/attach): recorded from their monitor alone. */
  attached?: { has(cluster: string): boolean; masterClientOptions(cluster: string): Promise<MasterClientOptions> };
  /** An attached cluster's Mesos log files (nodes with --log_dir), followed through /files. */
  attachedLogFiles?: (cluster: string) => Promise<FileLogTarget[]>;
}

export interface RecordClusterOptions {
  path: string;
  /** Which log lines to keep (default: the doctor's evidence). */
  logs?: LogChoice;
  /** Docker events and log lines this far back are recorded too (default 60 s). */
  lookbackMs?: number;
  now?: () => number;
  syncMs?: number;
}

export interface ClusterRecording {
  recorder: Recorder;
  /** Stops recording and releases the monitor. */
  stop(reason?: string): Promise<RecordingSummary>;
}

export async function recordCluster(deps: RecordClusterDeps, cluster: string, options: RecordClusterOptions): Promise<ClusterRecording> {
  if (deps.attached?.has(cluster)) return recordAttached(deps, deps.attached, cluster, options);
  const summary = await deps.engine.get(cluster);
  const { monitor, release } = await deps.monitors.acquire(cluster);
  const now = options.now ?? Date.now;
  const since = now() - (options.lookbackMs ?? 60_000);
  const choice = options.logs ?? 'evidence';
  const events = new ClusterDockerEvents(deps.docker, { name: summary.name, layout: summary.layout });
  const logTargets = summary.nodes
    .filter((n) => n.role !== 'zookeeper')
    .map((n) => ({ node: { role: n.role, index: n.index }, container: n.containerId ?? n.name }));
  const buffer = deps.evidence?.(cluster);
  let recorder: Recorder;
  try {
    recorder = await Recorder.start({
      path: options.path,
      cluster: { name: summary.name, spec: summary.spec, layout: summary.layout, mesos: summary.mesos },
      monitor,
      dockerEvents: buffer ? (onEvent, signal) => buffer.follow({ docker: onEvent }, signal, since) : (onEvent, signal) => events.follow(onEvent, signal, { since }),
      logs:
        choice === 'none'
          ? undefined
          : buffer && choice === 'evidence'
            ? (onLines, signal) => buffer.follow({ logs: onLines }, signal, since)
            : (onLines, signal) => followNodeLogs(deps.docker, logTargets, onLines, signal, { since, keep: choice === 'all' ? undefined : isEvidenceLine }),
      logChoice: choice,
      now,
      syncMs: options.syncMs,
    });
  } catch (err) {
    release();
    throw err;
  }
  return releasing(recorder, release);
}

/**
 * An attached cluster: the Mesos events of its monitor, and the log lines of its masters' and agents'
 * Mesos log files where they write one (--log_dir), read through /files. It has no containers of ours:
 * no Docker events.
 */
async function recordAttached(deps: RecordClusterDeps, attached: NonNullable<RecordClusterDeps['attached']>, cluster: string, options: RecordClusterOptions): Promise<ClusterRecording> {
  const client = await attached.masterClientOptions(cluster);
  const { monitor, release } = await deps.monitors.acquire(cluster);
  const now = options.now ?? Date.now;
  const since = now() - (options.lookbackMs ?? 60_000);
  const choice = options.logs ?? 'evidence';
  let recorder: Recorder;
  try {
    const targets = choice === 'none' || !deps.attachedLogFiles ? [] : await deps.attachedLogFiles(cluster);
    // The header names the masters: wait briefly for the monitor's first view of them.
    const deadline = Date.now() + 10_000;
    while (monitor.snapshot().masters.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const view = monitor.snapshot();
    recorder = await Recorder.start({
      path: options.path,
      cluster: { name: cluster, spec: null, layout: attachedLayout(view, client.zk), mesos: await attachedMesosVersion(view, client.access) },
      monitor,
      logs:
        targets.length > 0
          ? (onLines, signal) => followFileLogs(targets, onLines, signal, { since, keep: choice === 'all' ? undefined : isEvidenceLine })
          : undefined,
      logChoice: choice,
      now: options.now,
      syncMs: options.syncMs,
    });
  } catch (err) {
    release();
    throw err;
  }
  return releasing(recorder, release);
}

function releasing(recorder: Recorder, release: () => void): ClusterRecording {
  return {
    recorder,
    stop: async (reason) => {
      try {
        return await recorder.stop(reason);
      } finally {
        release();
      }
    },
  };
}
