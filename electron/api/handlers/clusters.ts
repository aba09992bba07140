import { unsafeAgentFlagIssues } from '@shared/cluster/unsafe-flags';
import { ApiError } from '@shared/errors';
import { describeIssues } from '@shared/validation';
import type { ClusterEngine } from '../../engine/cluster-engine';
import type { SettingsStore } from '../../settings/settings-store';
import type { CallHandlers, EventHandlers } from '../dispatcher';
import { mapErrors } from '../engine-errors';

type ClusterCalls = Pick<
  CallHandlers,
  | 'clusters.list'
  | 'clusters.create'
  | 'clusters.resume'
  | 'clusters.stop'
  | 'clusters.destroy'
  | 'clusters.removeAll'
  | 'clusters.nodeAction'
  | 'clusters.addAgent'
  | 'clusters.removeAgent'
>;
type ClusterEvents = Pick<EventHandlers, 'clusters.changed' | 'clusters.launchProgress'>;

/** Docker events come in bursts (a launch is dozens): one fresh list per burst is enough. */
const CHANGE_DEBOUNCE_MS = 100;

export function clusterHandlers(
  engine: ClusterEngine,
  settings: SettingsStore,
  onDestroyed: (cluster: string) => Promise<void> = async () => {},
): { calls: ClusterCalls; events: ClusterEvents } {
  return {
    calls: {
      'clusters.list': mapErrors(() => engine.list()),
      'clusters.create': mapErrors(async ({ spec }) => engine.create(await withDefaultImages(spec, settings))),
      'clusters.resume': mapErrors(({ name }) => engine.resume(name)),
      'clusters.stop': mapErrors(({ name }) => engine.stop(name)),
      'clusters.destroy': mapErrors(async ({ name }) => {
        const report = await engine.destroy(name);
        await onDestroyed(name);
        return report;
      }),
      'clusters.removeAll': mapErrors(() => engine.removeAll()),
      'clusters.nodeAction': mapErrors(async ({ cluster, node, action }) => {
        await engine.nodeAction(cluster, node, action);
        return {};
      }),
      'clusters.addAgent': mapErrors(async ({ cluster, agent }) => {
        // The agent's own flags may not do what the cluster's spec may not (unsafe-flags.ts).
        if (agent?.flags && Object.keys(agent.flags).length > 0) {
          const issues = unsafeAgentFlagIssues(agent.flags, (await engine.get(cluster)).spec.allowUnsafeFlags);
          if (issues.length > 0) throw new ApiError('invalid-input', describeIssues(issues));
        }
        return engine.addAgent(cluster, agent);
      }),
      'clusters.removeAgent': mapErrors(({ cluster, index }) => engine.removeAgent(cluster, index)),
    },
    events: {
      'clusters.changed': async (_params, emit, signal) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const publish = () => void engine.list().then((clusters) => signal.aborted || emit(clusters), () => undefined);
        const stop = engine.onChange(() => {
          clearTimeout(timer);
          timer = setTimeout(publish, CHANGE_DEBOUNCE_MS);
        });
        signal.addEventListener('abort', () => (clearTimeout(timer), stop()), { once: true });
        // Docker may be away now: the subscription stays, and the list comes when Docker is back
        // (the engine reports a change on reconnecting).
        publish();
      },
      'clusters.launchProgress': (_params, emit, signal) => {
        const stop = engine.onProgress(emit);
        signal.addEventListener('abort', stop, { once: true });
      },
    },
  };
}

/** Images the spec leaves out come from Settings' defaults, then from the built-in ones. */
async function withDefaultImages(spec: unknown, settings: SettingsStore): Promise<unknown> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return spec;
  const { defaultImages } = await settings.get();
  const given = (spec as { images?: unknown }).images;
  const images = given && typeof given === 'object' && !Array.isArray(given) ? given : {};
  return { ...spec, images: { ...defaultImages, ...images } };
}
