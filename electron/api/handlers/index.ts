import type { AttachService } from '../../attach/attach-service';
import { attachedBundleSource } from '../../attach/attached-bundle';
import { guardAttached } from '../../attach/attached-guard';
import type { MonitorRegistry } from '../../dashboard/monitor-registry';
import type { DockerService } from '../../docker/docker-service';
import type { DoctorService } from '../../doctor/doctor-service';
import type { RecordingService } from '../../recorder/recording-service';
import type { ClusterEngine } from '../../engine/cluster-engine';
import type { FaultInjector } from '../../faults/fault-injector';
import type { ArtifactServers } from '../../framework/artifact-server';
import type { FrameworkRegistry } from '../../framework/framework-registry';
import type { ExecService } from '../../exec/exec-service';
import type { DownloadHost } from '../../logs/downloads';
import type { LogService } from '../../logs/log-service';
import type { LogStreams } from '../../logs/log-streams';
import type { SettingsStore } from '../../settings/settings-store';
import type { SharingService } from '../../sharing/sharing-service';
import type { TourService } from '../../tours/tour-service';
import { faultById } from '@shared/faults/catalog';
import type { CallHandlers, Handlers } from '../dispatcher';
import { attachHandlers } from './attach';
import { clusterHandlers } from './clusters';
import { dashboardHandlers } from './dashboard';
import { dockerHandlers } from './docker';
import { doctorHandlers } from './doctor';
import { execHandlers } from './exec';
import { runHandlers } from './runs';
import { serviceHandlers } from './services';
import { logHandlers } from './logs';
import { mesosHandlers } from './mesos';
import { questionHandlers } from './questions';
import { settingsHandlers } from './settings';
import { tourHandlers } from './tours';

export interface HandlerDeps {
  settings: SettingsStore;
  docker: DockerService;
  engine: ClusterEngine;
  monitors: MonitorRegistry;
  frameworks: FrameworkRegistry;
  faults: FaultInjector;
  artifacts: ArtifactServers;
  doctor: DoctorService;
  recordings: RecordingService;
  env: NodeJS.ProcessEnv;
  logs: LogService;
  logStreams: LogStreams;
  /** Terminals into containers. */
  exec: ExecService;
  /** How files reach the user (web host URL, Electron save dialog); none in-process. */
  downloads?: DownloadHost;
  tours: TourService;
  sharing: SharingService;
  /** Clusters Mesoscope did not start. */
  attach: AttachService;
}

export function createHandlers({ settings, docker, engine, monitors, frameworks, faults, artifacts, doctor, recordings, env, logs, logStreams, exec, downloads, tours, sharing, attach }: HandlerDeps): Handlers {
  const dockerApi = dockerHandlers(docker);
  const clusters = clusterHandlers(engine, settings, async (cluster) => {
    // A recording of the cluster ends with it (its file stays).
    await recordings.stop(cluster, 'cluster destroyed').catch(() => undefined);
    await monitors.forget(cluster);
    await frameworks.forget(cluster);
    await artifacts.forget(cluster);
  });
  const runs = runHandlers({ engine, frameworks, faults, artifacts, attached: (cluster) => attach.has(cluster) });
  const attached = attachHandlers(
    attach,
    async (name) => {
      await monitors.forget(name);
      await frameworks.forget(name);
    },
    (name) => logs.agentReach(name),
    (name) => doctor.dockerStatus(name),
  );
  const logApi = logHandlers(logs, logStreams, downloads);
  const questions = questionHandlers({ engine, docker, doctor, recordings, downloads, attached: (name) => attachedBundleSource(attach, monitors, name) });
  const execApi = execHandlers(exec);
  const services = serviceHandlers(engine, frameworks);
  const tourApi = tourHandlers(tours, sharing);
  const calls = {
    ...dockerApi.calls,
    ...settingsHandlers(settings, docker, env, attach.secrets),
    ...clusters.calls,
    ...runs.calls,
    ...services.calls,
    ...logApi.calls,
    ...doctorHandlers(doctor, recordings, downloads),
    ...mesosHandlers(engine, (cluster) => (attach.has(cluster) ? attach.masterClientOptions(cluster) : undefined)),
    ...questions.calls,
    ...execApi.calls,
    ...tourApi.calls,
    ...attached.calls,
  };
  return {
    // Whatever the UI shows, the host refuses Docker actions and (while writes are off) Run and Kill on attached clusters.
    calls: guardAttached({ ...calls, ...markedInRecordings(calls, recordings) }, attach),
    events: {
      ...dockerApi.events,
      ...clusters.events,
      ...dashboardHandlers(monitors),
      ...runs.events,
      ...services.events,
      ...logApi.events,
      ...questions.events,
      ...execApi.events,
      ...tourApi.events,
      ...attached.events,
    },
  };
}

/** What the user does to a cluster from the app is marked in its recording, when one is under way (the slider shows it). */
function markedInRecordings(
  calls: Pick<CallHandlers, 'faults.inject' | 'faults.undo' | 'clusters.nodeAction'>,
  recordings: RecordingService,
): Pick<CallHandlers, 'faults.inject' | 'faults.undo' | 'clusters.nodeAction'> {
  return {
    'faults.inject': async (input) => {
      const injection = await calls['faults.inject'](input);
      recordings.mark(input.cluster, `Fault: ${faultById(input.fault).label}`, `task ${injection.taskId}${injection.node ? ` · ${injection.node}` : ''} · ${injection.expectation.summary}`);
      return injection;
    },
    'faults.undo': async (input) => {
      const done = await calls['faults.undo'](input);
      recordings.mark(input.cluster, `Undo: ${input.action} ${input.node}`);
      return done;
    },
    'clusters.nodeAction': async (input) => {
      const done = await calls['clusters.nodeAction'](input);
      recordings.mark(input.cluster, `Node ${input.action}: ${input.node}`);
      return done;
    },
  };
}
