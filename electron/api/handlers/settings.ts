import type { SettingsView } from '@shared/settings';
import type { SecretStore } from '../../attach/secret-store';
import type { DockerService } from '../../docker/docker-service';
import { resolveDockerEndpoint } from '../../docker/endpoint';
import type { SettingsStore } from '../../settings/settings-store';
import type { CallHandlers } from '../dispatcher';

export function settingsHandlers(
  settings: SettingsStore,
  docker: DockerService,
  env: NodeJS.ProcessEnv,
  secrets?: Pick<SecretStore, 'kind' | 'where'>,
): Pick<CallHandlers, 'settings.get' | 'settings.update'> {
  const view = async (): Promise<SettingsView> => ({
    settings: await settings.get(),
    dockerEndpoint: docker.endpoint,
    ...(secrets ? { secrets: { kind: secrets.kind, where: secrets.where } } : {}),
  });
  return {
    'settings.get': view,
    'settings.update': async (patch) => {
      const next = await settings.update(patch);
      await docker.setEndpoint(resolveDockerEndpoint(next.dockerEndpoint, env));
      return view();
    },
  };
}
