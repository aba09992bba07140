import { ApiError } from '@shared/errors';
import { join } from 'node:path';
import { createDispatcher, type Dispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { AttachService } from './attach/attach-service';
import { AttachedDocker, attachedAgents } from './attach/attached-docker';
import { AttachedEvidenceRegistry } from './attach/attached-evidence';
import { attachedLogFiles } from './attach/attached-log-files';
import { attachedNodes } from './attach/attached-nodes';
import { FileSecretStore, type SecretStore } from './attach/secret-store';
import { zkUrl } from '@shared/cluster/layout';
import { ClusterMonitor } from './dashboard/cluster-monitor';
import { MonitorRegistry } from './dashboard/monitor-registry';
import type { MasterClientOptions } from './mesos/master-client';
import { DoctorService } from './doctor/doctor-service';
import { EvidenceRegistry } from './doctor/evidence-registry';
import { FaultInjector } from './faults/fault-injector';
import { masterUrls, reachableUrl } from './engine/master-urls';
import { ArtifactServers } from './framework/artifact-server';
import { FrameworkRegistry } from './framework/framework-registry';
import { FrameworkStore } from './framework/framework-store';
import { ServiceStore } from './framework/service-store';
import { RecordingService } from './recorder/recording-service';
import { ClusterEngine } from './engine/cluster-engine';
import { DockerService } from './docker/docker-service';
import { resolveDockerEndpoint } from './docker/endpoint';
import { ExecService } from './exec/exec-service';
import type { DownloadHost } from './logs/downloads';
import { LogService } from './logs/log-service';
import { LogStreams } from './logs/log-streams';
import { MasterClient } from './mesos/master-client';
import { configDir } from './settings/config-dir';
import { SettingsStore } from './settings/settings-store';
import { createClient } from '@shared/api/client';
import { createInProcessTransport } from './api/in-process-transport';
import { SharingService } from './sharing/sharing-service';
import { TourService } from './tours/tour-service';

export interface CoreOptions {
  /** Folder of settings.json; defaults to configDir(env). */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  dockerWatch?: { intervalMs?: number; backoffMs?: readonly number[] };
  /** How sandbox files and recordings reach the user: the web host's one-time URLs, the Electron shell's save dialog. */
  downloads?: DownloadHost;
  /** The desktop app's open dialog for recordings (electron/shell); the web host has none. */
  chooseRecording?: () => Promise<string | null>;
  /** How long a launch waits for its nodes to be ready (the engine's default otherwise). */
  readyTimeoutMs?: number;
  /** Where agents' work dirs go (the engine's default otherwise), and labels on all it creates (startCluster's reaper session). */
  workRoot?: string;
  labels?: Record<string, string>;
  /** The built renderer, served to the audience view (web host and desktop app; none in the CLI). */
  rendererDir?: string;
  /** Where attached clusters' secrets go: the desktop app passes its safeStorage store; else a 0600 file beside the settings. */
  secrets?: (configDir: string) => SecretStore;
  /**
   * Where a cluster's masters are when not where its containers say: consulted before the engine when
   * a cluster's live view starts. `npm run bench:events` points a cluster's monitor at its load source
   * with it; undefined for a cluster means the engine's masters.
   */
  masterOverride?: (cluster: string) => MasterClientOptions | undefined;
  /**
   * Check hot subscriptions' payloads against the contract as well (DispatcherOptions). Default: under
   * vitest, or with MESOSCOPE_CHECK_PAYLOADS=1 (the e2e tests' web host), not otherwise.
   */
  checkHotPayloads?: boolean;
}

export interface Core {
  dispatcher: Dispatcher;
  docker: DockerService;
  engine: ClusterEngine;
  monitors: MonitorRegistry;
  frameworks: FrameworkRegistry;
  logs: LogService;
  doctor: DoctorService;
  recordings: RecordingService;
  tours: TourService;
  sharing: SharingService;
  attach: AttachService;
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
  const engine = new ClusterEngine({ docker: () => docker.docker, env, readyTimeoutMs: options.readyTimeoutMs, workRoot: options.workRoot, labels: options.labels });
  const watching = new AbortController();
  void engine.watchDocker(watching.signal);
  docker.onEndpointChange(() => engine.reconnectEvents());
  const secrets = options.secrets?.(dataDir) ?? new FileSecretStore(join(dataDir, 'secrets.json'));
  const attach = new AttachService({
    settings,
    secrets,
    launched: (name) => engine.get(name).then(
      () => true,
      () => false,
    ),
  });
  await attach.load();
  const monitors = new MonitorRegistry(async (cluster) => {
    const override = options.masterOverride?.(cluster);
    if (override) return override;
    // An attached cluster: its own URLs and credentials; a launched one: where the engine put it.
    if (attach.has(cluster)) return attach.masterClientOptions(cluster);
    const summary = await engine.get(cluster);
    const { layout } = summary;
    return {
      masters: masterUrls(summary),
      // On a bridge network ZooKeeper names container addresses the host cannot reach: redirects only.
      zk: layout.network === 'host' ? zkUrl(layout) : undefined,
      // …and redirects name the leader by container hostname: its port is published at the same number.
      reachable: reachableUrl(layout),
    };
  }, undefined, (options) =>
    // An attached cluster's history before the attach is the master's record, marked so (not seen live).
    new ClusterMonitor(attach.has(options.clusterId) ? { ...options, model: { ...options.model, markBeforeAttach: true } } : options),
  );
  // The doctor's evidence (Docker events, the nodes' log lines) is gathered while a cluster's monitor runs.
  const evidence = new EvidenceRegistry({ docker: () => docker.docker, engine });
  // Attached clusters have no containers of ours: the doctor works from Mesos' own evidence there, and
  // from their nodes' Mesos logs through /files (nodes with --log_dir).
  const attachedEvidence = new AttachedEvidenceRegistry(
    async (name) => attachedLogFiles(await attachedLogCluster(name), await attach.access(name)),
    {},
    // …and Docker events only from the Docker endpoints the user named for its agents.
    async (name) => {
      const endpoints = await attach.dockerEndpoints(name);
      if (endpoints.length === 0) return undefined;
      const access = await attach.access(name);
      return { docker: new AttachedDocker({ cluster: name, endpoints, access }), agents: async () => attachedAgents(await attachedLogCluster(name)) };
    },
  );
  monitors.alongside((cluster, monitor) => (attach.has(cluster) ? attachedEvidence.companion(cluster, monitor) : evidence.companion(cluster, monitor)));
  const doctor = new DoctorService({
    monitors,
    evidence: { get: (cluster) => (attach.has(cluster) ? attachedEvidence.get(cluster) : evidence.get(cluster)) },
    engine,
    attached: (cluster) => attach.has(cluster),
  });
  const recordings = new RecordingService({
    dir: join(dataDir, 'recordings'),
    docker: () => docker.docker,
    engine,
    monitors,
    evidence: (cluster) => evidence.get(cluster),
    attached: attach,
    attachedLogFiles: async (name) => attachedLogFiles(await attachedLogCluster(name), await attach.access(name)),
    chooseFile: options.chooseRecording,
  });
  // The built-in framework's ids live beside the settings, so an app restart resubscribes with them.
  const frameworks = new FrameworkRegistry({
    store: new FrameworkStore(join(dataDir, 'frameworks.json')),
    serviceStore: new ServiceStore(join(dataDir, 'services.json')),
    verdict: async (cluster, taskKey) => {
      const d = await doctor.diagnose(cluster, taskKey);
      return d.kind === 'diagnosed' ? { title: d.title, summary: d.cause } : undefined;
    },
    masters: async (cluster) => {
      if (!attach.has(cluster)) return masterUrls(await engine.get(cluster));
      const options = await attach.masterClientOptions(cluster);
      return options.masters.length > 0 ? [...options.masters] : [(await new MasterClient(options).discoverLeader()).url];
    },
    schedulerAccess: async (cluster) => (attach.has(cluster) ? attach.schedulerAccess(cluster) : undefined),
    onOffer: (cluster, d) =>
      monitors.peek(cluster)?.reportOfferDecision({
        offerId: d.offerId,
        frameworkId: d.frameworkId,
        agentId: d.agentId,
        cpus: d.cpus,
        mem: d.mem,
        outcome: d.outcome,
        taskKeys: d.taskIds?.map((t) => `${d.frameworkId}/${t}`),
        note: d.refuseSeconds !== undefined ? `${d.why}; refuse ${d.refuseSeconds} s` : d.why,
      }),
  });
  const faults = new FaultInjector({ engine, docker: () => docker.docker, frameworks });
  const artifacts = new ArtifactServers({ docker: () => docker.docker, cluster: (name) => engine.get(name) });
  const logStreams = new LogStreams();
  const logs = new LogService({
    cluster: (name) => (attach.has(name) ? attachedLogCluster(name) : engine.get(name)),
    access: async (name) => (attach.has(name) ? attach.access(name) : undefined),
    docker: () => docker.docker,
    streams: logStreams,
  });
  /** An attached cluster's masters and agents, as its monitor sees them now (waiting briefly for a first view). */
  async function attachedLogCluster(name: string) {
    const { monitor, release } = await monitors.acquire(name);
    try {
      const deadline = Date.now() + 5000;
      while (monitor.snapshot().connection.state === 'connecting' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const view = monitor.snapshot();
      const leader = view.masters.find((m) => m.leader)?.url ?? view.masters[0]?.url ?? '';
      return attachedNodes(name, view, leader.startsWith('https:') ? 'https' : 'http');
    } finally {
      release();
    }
  }
  const exec = new ExecService({
    cluster: async (name) => {
      if (attach.has(name)) throw new ApiError('refused', `A terminal needs the Docker containers of a cluster Mesoscope launched: it is not offered for the attached cluster "${name}".`);
      return engine.get(name);
    },
    docker: () => docker.docker,
    sandbox: (cluster, taskId, frameworkId, agentId) => logs.sandbox(cluster, taskId, frameworkId, agentId),
  });
  // Tours act through the API in-process, as the presenter would from the app; the audience view serves it read-only.
  // (Called only once the dispatcher below exists.)
  const served = (): Dispatcher => dispatcher;
  const tours = new TourService({ api: () => createClient(createInProcessTransport(served())), mark: (cluster, label, detail) => recordings.mark(cluster, label, detail) });
  const sharing = new SharingService({ dispatcher: served, rendererDir: options.rendererDir });
  const dispatcher = createDispatcher(
    createHandlers({ settings, docker, engine, monitors, frameworks, faults, artifacts, doctor, recordings, env, logs, logStreams, exec, downloads: options.downloads, tours, sharing, attach }),
    { checkHotPayloads: options.checkHotPayloads ?? (env.VITEST !== undefined || env.MESOSCOPE_CHECK_PAYLOADS === '1') },
  );
  return {
    dispatcher,
    docker,
    engine,
    monitors,
    frameworks,
    logs,
    doctor,
    recordings,
    tours,
    sharing,
    attach,
    dispose: async () => {
      watching.abort();
      await sharing.dispose();
      tours.dispose();
      await recordings.dispose();
      frameworks.dispose();
      void artifacts.dispose();
      await monitors.dispose();
      docker.dispose();
    },
  };
}
