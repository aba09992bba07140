import { zkUrl } from './layout';
import type { ClusterSummary } from './status';

export interface ConnectionInfo {
  /** host:port of the first master (any master redirects to the leader). */
  master: string;
  /** zk://host:port/mesos: what MESOS_MASTER should be, so a framework follows failovers. */
  zk: string;
  /** The address a scheduler on this machine binds and advertises (LIBPROCESS_IP). */
  libprocessIp: string;
  /** Shell lines for a framework developer, ready to paste. */
  env: string;
  mesosExecute: string;
  curlState: string;
  curlOperator: string;
  /** Caveats for this network mode, if any. */
  notes: string[];
}

/** What a framework developer needs to point a scheduler at this cluster. */
export function connectionInfo(cluster: Pick<ClusterSummary, 'layout'>): ConnectionInfo {
  const { layout } = cluster;
  const master = `${layout.hostAddress}:${layout.masters[0]?.port ?? 5050}`;
  const zk = zkUrl(layout);
  const libprocessIp = layout.hostAddress;
  const notes =
    layout.network === 'bridge'
      ? [
          'The nodes run on a Docker bridge network: the masters reach a scheduler on this machine only through the Docker host address (host.docker.internal on Docker Desktop); set LIBPROCESS_ADVERTISE_IP to it.',
        ]
      : [
          'Masters and agents use the host network on loopback: bind schedulers to 127.0.0.1 (LIBPROCESS_IP), as the Mesos framework guide says for --address.',
        ];
  return {
    master,
    zk,
    libprocessIp,
    env: `export MESOS_MASTER=${zk}\nexport LIBPROCESS_IP=${libprocessIp}`,
    mesosExecute: `mesos-execute --master=${master} --name=hello --containerizer=docker --docker_image=alpine --command='echo hello; sleep 5' --resources='cpus:0.1;mem:32'`,
    curlState: `curl -s http://${master}/master/state`,
    curlOperator: `curl -s -X POST -H 'Content-Type: application/json' -d '{"type":"GET_AGENTS"}' http://${master}/api/v1`,
    notes,
  };
}
