import type { MonitorRegistry } from '../../dashboard/monitor-registry';
import type { DockerService } from '../../docker/docker-service';
import type { DoctorService } from '../../doctor/doctor-service';
import type { RecordingService } from '../../recorder/recording-service';
import type { ClusterEngine } from '../../engine/cluster-engine';
import type { SettingsStore } from '../../settings/settings-store';
import type { Handlers } from '../dispatcher';
import { clusterHandlers } from './clusters';
import { dashboardHandlers } from './dashboard';
import { dockerHandlers } from './docker';
import { doctorHandlers } from './doctor';
import { settingsHandlers } from './settings';

export interface HandlerDeps {
  settings: SettingsStore;
  docker: DockerService;
  engine: ClusterEngine;
  monitors: MonitorRegistry;
  doctor: DoctorService;
  recordings: RecordingService;
  env: NodeJS.ProcessEnv;
}

export function createHandlers({ settings, docker, engine, monitors, doctor, recordings, env }: HandlerDeps): Handlers {
  const dockerApi = dockerHandlers(docker);
  const clusters = clusterHandlers(engine, settings, async (cluster) => {
    // A recording of the cluster ends with it (its file stays).
    await recordings.stop(cluster, 'cluster destroyed').catch(() => undefined);
    await monitors.forget(cluster);
  });
  return {
    calls: { ...dockerApi.calls, ...settingsHandlers(settings, docker, env), ...clusters.calls, ...doctorHandlers(doctor, recordings) },
    events: { ...dockerApi.events, ...clusters.events, ...dashboardHandlers(monitors) },
  };
}
