import type { FieldIssue } from '../validation';

/**
 * Mesos flags a spec may not set unless it says so (`allowUnsafeFlags`): they decide where a node
 * listens or advertises (and so who reaches an unauthenticated master or agent), whom it talks to,
 * what it loads, which host paths it reads, writes or mounts into tasks, and which Docker it drives.
 * A spec someone sent would otherwise be root on this machine: `ip=0.0.0.0` puts the cluster on
 * every interface, `default_container_info` mounts `/` into every task, `modules`/`hooks` load code.
 * The engine sets the ones it needs itself (electron/engine/node-containers.ts).
 * Names from Mesos 1.12's master and agent flags (src/master/flags.cpp, src/slave/flags.cpp).
 */
export type UnsafeReason = 'network' | 'peers' | 'loads' | 'paths' | 'docker' | 'access';

const REASONS: Record<UnsafeReason, string> = {
  network: 'decides where the node listens or advertises (who can reach an unauthenticated Mesos)',
  peers: 'decides which ZooKeeper or master the node talks to',
  loads: 'makes the node load code or plug-ins',
  paths: 'decides which paths the node reads or writes (agents share them with this machine)',
  docker: 'decides which Docker the agent drives and what every task container mounts',
  access: 'changes who may use the cluster',
};

export const UNSAFE_FLAGS: Readonly<Record<string, UnsafeReason>> = {
  ip: 'network',
  ip6: 'network',
  ip_discovery_command: 'network',
  ip6_discovery_command: 'network',
  advertise_ip: 'network',
  advertise_port: 'network',
  port: 'network',
  hostname: 'network',
  hostname_lookup: 'network',
  master: 'peers',
  zk: 'peers',
  master_detector: 'loads',
  master_contender: 'loads',
  modules: 'loads',
  modules_dir: 'loads',
  hooks: 'loads',
  allocator: 'loads',
  authenticators: 'loads',
  authenticatee: 'loads',
  authorizers: 'loads',
  http_authenticators: 'loads',
  container_logger: 'loads',
  resource_estimator: 'loads',
  qos_controller: 'loads',
  network_cni_plugins_dir: 'loads',
  network_cni_config_dir: 'loads',
  launcher_dir: 'loads',
  work_dir: 'paths',
  runtime_dir: 'paths',
  sandbox_directory: 'paths',
  fetcher_cache_dir: 'paths',
  frameworks_home: 'paths',
  docker_store_dir: 'paths',
  appc_store_dir: 'paths',
  docker_volume_checkpoint_dir: 'paths',
  external_log_file: 'paths',
  docker: 'docker',
  docker_socket: 'docker',
  docker_config: 'docker',
  docker_registry: 'docker',
  docker_mesos_image: 'docker',
  default_container_info: 'docker',
  acls: 'access',
  credential: 'access',
  credentials: 'access',
  http_credentials: 'access',
  firewall_rules: 'access',
};

/** Why a flag may not be set without the spec's say-so, or null for an ordinary flag. */
export function unsafeFlagReason(flag: string, value: string): string | null {
  const reason = Object.hasOwn(UNSAFE_FLAGS, flag) ? UNSAFE_FLAGS[flag] : undefined;
  if (reason) return REASONS[reason];
  // Mesos reads any flag's value from a file when it is given as file:///path (configuration.md).
  if (/^\s*file:/i.test(value)) return 'loads its value from a file (file://)';
  return null;
}

interface FlagsOf {
  masters: { flags: Record<string, string> };
  agents: { flags: Record<string, string>; list?: Array<{ flags: Record<string, string> }> };
  allowUnsafeFlags: string[];
}

/** Every flag a spec sets, with its path (`agents.list[1].flags.ip`). */
export function flagsOf(spec: Pick<FlagsOf, 'masters' | 'agents'>): Array<{ path: string; flag: string; value: string }> {
  const all: Array<{ path: string; flag: string; value: string }> = [];
  const add = (prefix: string, flags: Record<string, string>) => {
    for (const [flag, value] of Object.entries(flags)) all.push({ path: `${prefix}.${flag}`, flag, value });
  };
  add('masters.flags', spec.masters.flags);
  add('agents.flags', spec.agents.flags);
  spec.agents.list?.forEach((agent, i) => add(`agents.list[${i}].flags`, agent.flags));
  return all;
}

/** The unsafe flags a spec sets without listing them in `allowUnsafeFlags`, each with its field. */
export function unsafeFlagIssues(spec: FlagsOf): FieldIssue[] {
  const allowed = new Set(spec.allowUnsafeFlags);
  return flagsOf(spec).flatMap(({ path, flag, value }) => {
    const reason = unsafeFlagReason(flag, value);
    if (!reason || allowed.has(flag)) return [];
    return [{ path, message: `--${flag} ${reason}; Mesoscope sets what it needs. To set it anyway, list "${flag}" in allowUnsafeFlags` }];
  });
}

/** An agent's own flags (clusters.addAgent) against what its cluster's spec allows. */
export function unsafeAgentFlagIssues(flags: Record<string, string>, allowUnsafeFlags: string[], prefix = 'agent.flags'): FieldIssue[] {
  return unsafeFlagIssues({ masters: { flags: {} }, agents: { flags }, allowUnsafeFlags }).map((i) => ({ ...i, path: i.path.replace(/^agents\.flags/, prefix) }));
}
