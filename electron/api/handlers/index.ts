import type { MonitorRegistry } from '../../dashboard/monitor-registry';
import type { DockerService } from '../../docker/docker-service';
import type { ClusterEngine } from '../../engine/cluster-engine';
import type { FaultInjector } from '../../faults/fault-injector';
import type { ArtifactServers } from '../../framework/artifact-server';
import type { FrameworkRegistry } from '../../framework/framework-registry';
import type { SettingsStore } from '../../settings/settings-store';
import type { Handlers } from '../dispatcher';
import { clusterHandlers } from './clusters';
import { dashboardHandlers } from './dashboard';
import { dockerHandlers } from './docker';
import { runHandlers } from './runs';
import { settingsHandlers } from './settings';

export interface HandlerDeps {
  settings: SettingsStore;
  docker: DockerService;
  engine: ClusterEngine;
  monitors: MonitorRegistry;
  frameworks: FrameworkRegistry;
  faults: FaultInjector;
  artifacts: ArtifactServers;
  env: NodeJS.ProcessEnv;
}

export function createHandlers({ settings, docker, engine, monitors, frameworks, faults, artifacts, env }: HandlerDeps): Handlers {
  const dockerApi = dockerHandlers(docker);
  const clusters = clusterHandlers(engine, settings, async (cluster) => {
    await monitors.forget(cluster);
    await frameworks.forget(cluster);
    await artifacts.forget(cluster);
  });
  const runs = runHandlers({ engine, frameworks, faults, artifacts });
  return {
    calls: { ...dockerApi.calls, ...settingsHandlers(settings, docker, env), ...clusters.calls, ...runs.calls },
    events: { ...dockerApi.events, ...clusters.events, ...dashboardHandlers(monitors), ...runs.events },
  };
}
