import type { MonitorRegistry } from '../../dashboard/monitor-registry';
import type { DockerService } from '../../docker/docker-service';
import type { ClusterEngine } from '../../engine/cluster-engine';
import type { DownloadHost } from '../../logs/downloads';
import type { LogService } from '../../logs/log-service';
import type { LogStreams } from '../../logs/log-streams';
import type { SettingsStore } from '../../settings/settings-store';
import type { Handlers } from '../dispatcher';
import { clusterHandlers } from './clusters';
import { dashboardHandlers } from './dashboard';
import { dockerHandlers } from './docker';
import { logHandlers } from './logs';
import { settingsHandlers } from './settings';

export interface HandlerDeps {
  settings: SettingsStore;
  docker: DockerService;
  engine: ClusterEngine;
  monitors: MonitorRegistry;
  env: NodeJS.ProcessEnv;
  logs: LogService;
  logStreams: LogStreams;
  /** How files reach the user (web host URL, Electron save dialog); none in-process. */
  downloads?: DownloadHost;
}

export function createHandlers({ settings, docker, engine, monitors, env, logs, logStreams, downloads }: HandlerDeps): Handlers {
  const dockerApi = dockerHandlers(docker);
  const clusters = clusterHandlers(engine, settings, (cluster) => monitors.forget(cluster));
  const logApi = logHandlers(logs, logStreams, downloads);
  return {
    calls: { ...dockerApi.calls, ...settingsHandlers(settings, docker, env), ...clusters.calls, ...logApi.calls },
    events: { ...dockerApi.events, ...clusters.events, ...dashboardHandlers(monitors), ...logApi.events },
  };
}
