import type { DockerStatus } from '@shared/docker';
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
  let view: SettingsView = { settings: { dockerEndpoint: null }, dockerEndpoint: status.endpoint };
  return {
    calls: {
      'docker.status': async () => status,
      'settings.get': async () => view,
      'settings.update': async (patch) => {
        view = { ...view, settings: { dockerEndpoint: patch.dockerEndpoint ?? null } };
        return view;
      },
    },
    events: {
      'docker.statusChanged': (_params, emit, signal) => {
        emit(status);
        overrides.onSubscribe?.(signal);
      },
    },
  };
}
