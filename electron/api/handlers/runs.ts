import type { ClusterEngine } from '../../engine/cluster-engine';
import type { FaultInjector } from '../../faults/fault-injector';
import type { ArtifactServers } from '../../framework/artifact-server';
import type { FrameworkRegistry } from '../../framework/framework-registry';
import type { CallHandlers, EventHandlers } from '../dispatcher';
import { mapErrors, toApiError } from '../engine-errors';

type RunCalls = Pick<
  CallHandlers,
  'runs.launch' | 'runs.kill' | 'runs.killAll' | 'faults.inject' | 'faults.undo' | 'artifacts.get' | 'artifacts.add' | 'artifacts.remove'
>;

/** The view changes in bursts (an offer round, a batch of updates): at most one push per interval. */
const VIEW_THROTTLE_MS = 50;

export interface RunDeps {
  engine: ClusterEngine;
  frameworks: FrameworkRegistry;
  faults: FaultInjector;
  artifacts: ArtifactServers;
  /** Whether the name is an attached cluster (known without the engine). */
  attached?: (cluster: string) => boolean;
}

export function runHandlers({ engine, frameworks, faults, artifacts, attached }: RunDeps): { calls: RunCalls; events: Pick<EventHandlers, 'runs.view'> } {
  /** Unknown clusters are refused before any framework is made for them. */
  const known = async (cluster: string) => void (attached?.(cluster) || (await engine.get(cluster)));
  return {
    calls: {
      'runs.launch': mapErrors(async (req) => {
        await known(req.cluster);
        return frameworks.get(req.cluster).launch(req);
      }),
      'runs.kill': mapErrors(async ({ cluster, frameworkId, taskId }) => {
        await known(cluster);
        await frameworks.get(cluster).kill(frameworkId, taskId);
        return {};
      }),
      'runs.killAll': mapErrors(async ({ cluster }) => {
        await known(cluster);
        return { killed: await frameworks.get(cluster).killAll() };
      }),
      'faults.inject': mapErrors((req) => faults.inject(req)),
      'faults.undo': mapErrors(async ({ cluster, node, action }) => {
        await faults.undo(cluster, node, action);
        return {};
      }),
      'artifacts.get': mapErrors(({ cluster }) => artifacts.view(cluster)),
      'artifacts.add': mapErrors(({ cluster, path }) => artifacts.add(cluster, path)),
      'artifacts.remove': mapErrors(({ cluster, id }) => artifacts.remove(cluster, id)),
    },
    events: {
      'runs.view': mapErrorsEvent(async ({ cluster }, emit, signal) => {
        await known(cluster);
        const runs = frameworks.get(cluster);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const push = () => {
          timer = undefined;
          if (!signal.aborted) emit(runs.view());
        };
        const stop = runs.onChange(() => {
          timer ??= setTimeout(push, VIEW_THROTTLE_MS);
        });
        signal.addEventListener('abort', () => (clearTimeout(timer), stop()), { once: true });
        push();
        // Frameworks an earlier run of the app left on this cluster resubscribe with their ids.
        void runs.resume();
      }),
    },
  };
}

/** An event handler whose failure (an unknown cluster…) reaches the subscriber as a typed API error. */
function mapErrorsEvent<P, T>(handler: (params: P, emit: (payload: T) => void, signal: AbortSignal) => Promise<void>) {
  return async (params: P, emit: (payload: T) => void, signal: AbortSignal) => {
    try {
      await handler(params, emit, signal);
    } catch (err) {
      throw toApiError(err);
    }
  };
}
