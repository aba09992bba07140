import type { DockerStatus } from '@shared/docker';
import { ApiError } from '@shared/errors';
import type { SettingsView } from '@shared/settings';
import type { Handlers } from './dispatcher';

/** Handlers with canned answers, for testing the transports without Docker. */
export function fakeHandlers(overrides: { onSubscribe?: (signal: AbortSignal) => void } = {}): Handlers {
  const status: DockerStatus = {
    reachable: false,
    endpoint: { url: 'unix:///nowhere.sock', source: 'default' },
    checkedAt: new Date(0).toISOString(),
    reason: 'socket-missing',
    message: '/nowhere.sock does not exist',
  };
  let view: SettingsView = { settings: { dockerEndpoint: null, defaultImages: {}, connections: [] }, dockerEndpoint: status.endpoint };
  const noCluster = async (): Promise<never> => {
    throw new ApiError('not-found', 'No cluster here.');
  };
  return {
    calls: {
      'docker.status': async () => status,
      'settings.get': async () => view,
      'settings.update': async (patch) => {
        view = { ...view, settings: { ...view.settings, dockerEndpoint: patch.dockerEndpoint ?? null } };
        return view;
      },
      'images.check': async () => [],
      'clusters.list': async () => [],
      'clusters.create': noCluster,
      'clusters.resume': noCluster,
      'clusters.stop': noCluster,
      'clusters.destroy': noCluster,
      'clusters.removeAll': async () => [],
      'clusters.nodeAction': noCluster,
      'clusters.addAgent': noCluster,
      'clusters.removeAgent': noCluster,
      'logs.nodes': noCluster,
      'logs.sandbox': noCluster,
      'logs.browse': noCluster,
      'logs.read': noCluster,
      'logs.search': noCluster,
      'logs.ack': async () => ({}),
      'logs.download': noCluster,
      'tasks.container': async ({ containerId }) => ({ name: `mesos-${containerId}`, exists: false }),
      'doctor.diagnose': noCluster,
      'doctor.verdicts': noCluster,
      'doctor.applyFix': noCluster,
      'recordings.start': noCluster,
      'recordings.stop': noCluster,
      'recordings.mark': noCluster,
      'recordings.list': async () => ({ dir: '/nowhere/recordings', files: [], active: [] }),
      'recordings.open': noCluster,
      'recordings.stateAt': noCluster,
      'recordings.diagnose': noCluster,
      'recordings.close': async () => ({}),
      'recordings.upload': noCluster,
      'recordings.choose': async () => ({ path: null }),
      'recordings.download': noCluster,
      'recordings.remove': noCluster,
      'runs.launch': noCluster,
      'runs.kill': noCluster,
      'runs.killAll': noCluster,
      'services.create': noCluster,
      'services.list': noCluster,
      'services.scale': noCluster,
      'services.restart': noCluster,
      'services.remove': noCluster,
      'services.endpoints': noCluster,
      'faults.inject': noCluster,
      'faults.undo': noCluster,
      'artifacts.get': noCluster,
      'artifacts.add': noCluster,
      'artifacts.remove': noCluster,
      'mesos.state': noCluster,
      'bundles.open': noCluster,
      'bundles.download': noCluster,
      'exec.input': noCluster,
      'exec.resize': noCluster,
      'exec.ack': async () => ({}),
      'tours.list': async () => [],
      'tours.start': noCluster,
      'tours.act': noCluster,
      'tours.go': noCluster,
      'tours.end': async () => ({ active: false, index: 0, count: 0, results: [] }),
      'sharing.addresses': async () => [{ address: '127.0.0.1', label: 'loopback', loopback: true }],
      'sharing.start': noCluster,
      'sharing.stop': async () => ({ on: false, viewers: 0 }),
      'attach.list': async () => [],
      'attach.add': noCluster,
      'attach.remove': noCluster,
      'attach.setWrites': noCluster,
      'attach.agents': noCluster,
      'attach.docker': noCluster,
    },
    events: {
      'docker.statusChanged': (_params, emit, signal) => {
        emit(status);
        overrides.onSubscribe?.(signal);
      },
      'clusters.changed': (_params, emit) => emit([]),
      'clusters.launchProgress': () => {},
      'dashboard.deltas': async () => {
        throw new ApiError('not-found', 'No cluster here.');
      },
      'dashboard.watchOffers': async () => {
        throw new ApiError('not-found', 'No cluster here.');
      },
      'runs.view': async () => {
        throw new ApiError('not-found', 'No cluster here.');
      },
      'services.view': async () => {
        throw new ApiError('not-found', 'No cluster here.');
      },
      'attach.changed': (_params, emit) => emit([]),
      'logs.follow': async () => {
        throw new ApiError('not-found', 'No cluster here.');
      },
      'logs.searchAll': noCluster,
      'bundles.export': noCluster,
      'exec.session': async () => {
        throw new ApiError('not-found', 'No cluster here.');
      },
      'tours.state': (_params, emit) => emit({ active: false, index: 0, count: 0, results: [] }),
      'sharing.state': (_params, emit) => emit({ on: false, viewers: 0 }),
    },
  };
}
