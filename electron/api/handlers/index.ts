import type { MonitorRegistry } from '../../dashboard/monitor-registry';
import type { DockerService } from '../../docker/docker-service';
import type { ClusterEngine } from '../../engine/cluster-engine';
import type { FaultInjector } from '../../faults/fault-injector';
import type { ArtifactServers } from '../../framework/artifact-server';
import type { FrameworkRegistry } from '../../framework/framework-registry';
import type { DownloadHost } from '../../logs/downloads';
import type { LogService } from '../../logs/log-service';
import type { LogStreams } from '../../logs/log-streams';
import type { SettingsStore } from '../../settings/settings-store';
import type { Handlers } from '../dispatcher';
import { clusterHandlers } from './clusters';
import { dashboardHandlers } from './dashboard';
import { dockerHandlers } from './docker';
import { runHandlers } from './runs';
import { logHandlers } from './logs';
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
  logs: LogService;
  logStreams: LogStreams;
  /** How files reach the user (web host URL, Electron save dialog); none in-process. */
  downloads?: DownloadHost;
}

export function createHandlers({ settings, docker, engine, monitors, frameworks, faults, artifacts, env, logs, logStreams, downloads }: HandlerDeps): Handlers {
  const dockerApi = dockerHandlers(docker);
  const clusters = clusterHandlers(engine, settings, async (cluster) => {
    await monitors.forget(cluster);
    await frameworks.forget(cluster);
    await artifacts.forget(cluster);
  });
  const runs = runHandlers({ engine, frameworks, faults, artifacts });
  const logApi = logHandlers(logs, logStreams, downloads);
  return {
    calls: { ...dockerApi.calls, ...settingsHandlers(settings, docker, env), ...clusters.calls, ...runs.calls, ...logApi.calls },
    events: { ...dockerApi.events, ...clusters.events, ...dashboardHandlers(monitors), ...runs.events, ...logApi.events },
  };
}
