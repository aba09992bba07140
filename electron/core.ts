import { join } from 'node:path';
import { createDispatcher, type Dispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { zkUrl } from '@shared/cluster/layout';
import { MonitorRegistry } from './dashboard/monitor-registry';
import { DoctorService } from './doctor/doctor-service';
import { EvidenceRegistry } from './doctor/evidence-registry';
import { RecordingService } from './recorder/recording-service';
import { ClusterEngine } from './engine/cluster-engine';
import { defaultWorkRoot } from './engine/work-root';
import { DockerService } from './docker/docker-service';
import { resolveDockerEndpoint } from './docker/endpoint';
import { configDir } from './settings/config-dir';
import { SettingsStore } from './settings/settings-store';

export interface CoreOptions {
  /** Folder of settings.json; defaults to configDir(env). */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  dockerWatch?: { intervalMs?: number; backoffMs?: readonly number[] };
  /** The desktop app's open dialog for recordings (electron/shell); the web host has none. */
  chooseRecording?: () => Promise<string | null>;
}

export interface Core {
  dispatcher: Dispatcher;
  docker: DockerService;
  engine: ClusterEngine;
  monitors: MonitorRegistry;
  doctor: DoctorService;
  recordings: RecordingService;
  /** Stops everything; resolves once recordings under way have ended their files. */
  dispose(): Promise<void>;
}

/** Everything behind the API, independent of the transport serving it (Electron, web host, tests). */
export async function createCore(options: CoreOptions = {}): Promise<Core> {
  const env = options.env ?? process.env;
  const dataDir = options.configDir ?? configDir(env);
  const settings = new SettingsStore(join(dataDir, 'settings.json'));
  const stored = await settings.get();
  const docker = new DockerService(resolveDockerEndpoint(stored.dockerEndpoint, env), options.dockerWatch);
  const engine = new ClusterEngine({ docker: () => docker.docker, workRoot: defaultWorkRoot(env) });
  const watching = new AbortController();
  void engine.watchDocker(watching.signal);
  docker.onEndpointChange(() => engine.reconnectEvents());
  const monitors = new MonitorRegistry(async (cluster) => {
    const { layout } = await engine.get(cluster);
    return {
      masters: layout.masters.map((m) => `http://${layout.hostAddress}:${m.port}`),
      // On a bridge network ZooKeeper names container addresses the host cannot reach: redirects only.
      zk: layout.network === 'host' ? zkUrl(layout) : undefined,
    };
  });
  // The doctor's evidence (Docker events, the nodes' log lines) is gathered while a cluster's monitor runs.
  const evidence = new EvidenceRegistry({ docker: () => docker.docker, engine });
  monitors.alongside(evidence.companion);
  const doctor = new DoctorService({ monitors, evidence, engine });
  const recordings = new RecordingService({
    dir: join(dataDir, 'recordings'),
    docker: () => docker.docker,
    engine,
    monitors,
    evidence: (cluster) => evidence.get(cluster),
    chooseFile: options.chooseRecording,
  });
  const dispatcher = createDispatcher(createHandlers({ settings, docker, engine, monitors, doctor, recordings, env }));
  return {
    dispatcher,
    docker,
    engine,
    monitors,
    doctor,
    recordings,
    dispose: async () => {
      watching.abort();
      await recordings.dispose();
      await monitors.dispose();
      docker.dispose();
    },
  };
}
