// /metrics/snapshot of an agent: the key set of the recorded Mesos 1.12 agent
// (transcripts/http/agent-metrics.http).
import { scalarSum } from '../common/resources';
import { sortedRecord, systemMetrics } from '../common/system-metrics';
import { nowNs, nsToSecs } from '../common/time';
import type { AgentContext } from './context';

const ZERO = [
  'containerizer/fetcher/cache_size_used_bytes',
  'containerizer/fetcher/task_fetches_failed',
  'containerizer/fetcher/task_fetches_succeeded',
  'containerizer/mesos/container_destroy_errors',
  'containerizer/mesos/provisioner/bind/remove_rootfs_errors',
  'containerizer/mesos/provisioner/remove_container_errors',
  'gc/path_removals_failed',
  'gc/path_removals_pending',
  'gc/path_removals_succeeded',
  'resource_provider_manager/events/disconnect',
  'resource_provider_manager/events/subscribe',
  'resource_provider_manager/subscribed',
  'slave/container_launch_errors',
  'slave/executors_preempted',
  'slave/executors_registering',
  'slave/executors_running',
  'slave/executors_terminated',
  'slave/executors_terminating',
  'slave/frameworks_active',
  'slave/invalid_framework_messages',
  'slave/invalid_status_updates',
  'slave/recovery_errors',
  'slave/tasks_failed',
  'slave/tasks_finished',
  'slave/tasks_gone',
  'slave/tasks_killed',
  'slave/tasks_killing',
  'slave/tasks_lost',
  'slave/tasks_running',
  'slave/tasks_staging',
  'slave/tasks_starting',
  'slave/valid_framework_messages',
  'slave/valid_status_updates',
];

const BYTE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

function bytes(text: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)$/.exec(text ?? '');
  return m ? Number(m[1]) * BYTE_UNITS[m[2]!]! : 0;
}

export function agentMetrics(ctx: AgentContext): Record<string, number> {
  const m: Record<string, number> = {};
  for (const k of ZERO) m[k] = 0;
  m['containerizer/fetcher/cache_size_total_bytes'] = bytes(ctx.flags.str('fetcher_cache_size'));
  m['slave/registered'] = ctx.registered() ? 1 : 0;
  m['slave/uptime_secs'] = nsToSecs(nowNs() - ctx.startTime);
  m['slave/recovery_time_secs'] = ctx.recoveryTimeSecs;
  const gcDelay = ctx.flags.duration('gc_delay')?.secs ?? 0;
  const headroom = Number(ctx.flags.str('gc_disk_headroom') ?? 0.1);
  m['slave/executor_directory_max_allowed_age_secs'] = gcDelay * Math.max(0, 1 - headroom);
  for (const r of ['cpus', 'gpus', 'mem', 'disk']) {
    m[`slave/${r}_total`] = scalarSum(ctx.resources, r);
    m[`slave/${r}_used`] = 0;
    m[`slave/${r}_percent`] = 0;
    m[`slave/${r}_revocable_total`] = 0;
    m[`slave/${r}_revocable_used`] = 0;
    m[`slave/${r}_revocable_percent`] = 0;
  }
  Object.assign(m, systemMetrics());
  return sortedRecord(m);
}
