import type { MonitorRegistry } from '../../dashboard/monitor-registry';
import type { DockerService } from '../../docker/docker-service';
import type { ClusterEngine } from '../../engine/cluster-engine';
import type { SettingsStore } from '../../settings/settings-store';
import type { Handlers } from '../dispatcher';
import { clusterHandlers } from './clusters';
import { dashboardHandlers } from './dashboard';
import { dockerHandlers } from './docker';
import { settingsHandlers } from './settings';

export interface HandlerDeps {
  settings: SettingsStore;
  docker: DockerService;
  engine: ClusterEngine;
  monitors: MonitorRegistry;
  env: NodeJS.ProcessEnv;
}

export function createHandlers({ settings, docker, engine, monitors, env }: HandlerDeps): Handlers {
  const dockerApi = dockerHandlers(docker);
  const clusters = clusterHandlers(engine, settings, (cluster) => monitors.forget(cluster));
  return {
    calls: { ...dockerApi.calls, ...settingsHandlers(settings, docker, env), ...clusters.calls },
    events: { ...dockerApi.events, ...clusters.events, ...dashboardHandlers(monitors) },
  };
}
