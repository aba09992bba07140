import type { SettingsView } from '@shared/settings';
import type { DockerService } from '../docker/docker-service';
import { resolveDockerEndpoint } from '../docker/endpoint';
import type { SettingsStore } from '../settings/settings-store';
import type { Handlers } from './dispatcher';

export interface HandlerDeps {
  settings: SettingsStore;
  docker: DockerService;
  env: NodeJS.ProcessEnv;
}

export function createHandlers({ settings, docker, env }: HandlerDeps): Handlers {
  const view = async (): Promise<SettingsView> => ({ settings: await settings.get(), dockerEndpoint: docker.endpoint });

  return {
    calls: {
      'docker.status': () => docker.status(),
      'settings.get': view,
      'settings.update': async (patch) => {
        const next = await settings.update(patch);
        await docker.setEndpoint(resolveDockerEndpoint(next.dockerEndpoint, env));
        return view();
      },
    },
    events: {
      'docker.statusChanged': (_params, emit, signal) => {
        const unsubscribe = docker.watcher.subscribe(emit);
        signal.addEventListener('abort', unsubscribe, { once: true });
      },
    },
  };
}
