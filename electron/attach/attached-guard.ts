import { ApiError } from '@shared/errors';
import type { CallName } from '@shared/contract';
import type { CallHandlers } from '../api/dispatcher';

/**
 * What the host refuses on an attached cluster, whatever the UI shows: actions on the Docker
 * containers Mesoscope launched (there are none), and writes (Run, Kill) while the connection's
 * writes toggle is off. Every call that names a cluster goes through here.
 */

/** Calls that act on the containers Mesoscope launched. */
const DOCKER_ONLY: Partial<Record<CallName, string>> = {
  'clusters.resume': 'Resume',
  'clusters.stop': 'Stop',
  'clusters.destroy': 'Destroy',
  'clusters.nodeAction': 'A node action (stop, start, pause…)',
  'clusters.addAgent': 'Adding an agent',
  'clusters.removeAgent': 'Removing an agent',
  'faults.inject': 'A fault',
  'faults.undo': "A fault's undo",
  'doctor.applyFix': "The doctor's Apply",
  'artifacts.get': 'The artifact server',
  'artifacts.add': 'The artifact server',
  'artifacts.remove': 'The artifact server',
};

/** Calls that change the cluster through Mesos itself: allowed once writes are on. */
const WRITES: Partial<Record<CallName, string>> = {
  'runs.launch': 'Run',
  'runs.kill': 'Kill',
  'runs.killAll': 'Kill all',
  'services.create': 'A new service',
  'services.scale': 'Scaling a service',
  'services.restart': 'Restarting a service',
  'services.remove': 'Removing a service',
};

export interface AttachedLookup {
  has(name: string): boolean;
  writesOn(name: string): boolean;
}

function clusterOf(input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const { cluster, name } = input as { cluster?: unknown; name?: unknown };
  return typeof cluster === 'string' ? cluster : typeof name === 'string' ? name : undefined;
}

/** Throws the refusal for this call on this cluster, if any. */
export function refusalFor(call: CallName, input: unknown, attached: AttachedLookup): ApiError | undefined {
  // Names are one namespace: a new cluster may not take an attached cluster's name.
  if (call === 'clusters.create') {
    const name = (input as { spec?: { name?: unknown } } | undefined)?.spec?.name;
    if (typeof name === 'string' && attached.has(name)) return new ApiError('refused', `The name "${name}" is taken by an attached cluster: choose another.`);
    return undefined;
  }
  const cluster = clusterOf(input);
  if (!cluster || !attached.has(cluster)) return undefined;
  const docker = DOCKER_ONLY[call];
  if (docker) return new ApiError('refused', `${docker} needs the Docker containers of a cluster Mesoscope launched: it is not offered for the attached cluster "${cluster}".`);
  const write = WRITES[call];
  if (write && !attached.writesOn(cluster)) {
    return new ApiError(
      'refused',
      `"${cluster}" is attached read-only: ${write} is refused until writes are turned on for this connection (the Writes switch in its header, or mesoscope attach ${cluster} --writes on).`,
    );
  }
  return undefined;
}

/** The same handlers, each refusing first what refusalFor() refuses. */
export function guardAttached(calls: CallHandlers, attached: AttachedLookup): CallHandlers {
  const guarded: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(calls) as Array<[CallName, (input: unknown) => Promise<unknown>]>) {
    guarded[name] = async (input: unknown) => {
      const refused = refusalFor(name, input, attached);
      if (refused) throw refused;
      return handler(input);
    };
  }
  return guarded as CallHandlers;
}
