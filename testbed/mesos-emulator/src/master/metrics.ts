// /metrics/snapshot of a master: the key set of the recorded Mesos 1.12 master
// (transcripts/http/metrics-snapshot.http, docs/mesos/api.md §1.8), values from the emulator's state.
import { scalarSum } from '../common/resources';
import { sortedRecord, systemMetrics, timerMetrics } from '../common/system-metrics';
import { nowNs, nsToSecs } from '../common/time';
import type { MasterContext } from './context';
import type { TaskRecord, TaskState } from './model';
import type { Counter } from './state';

const MESSAGE_COUNTERS = [
  'authenticate',
  'deactivate_framework',
  'decline_offers',
  'executor_to_framework',
  'exited_executor',
  'framework_to_executor',
  'kill_task',
  'launch_tasks',
  'operation_status_update',
  'operation_status_update_acknowledgement',
  'reconcile_operations',
  'reconcile_tasks',
  'register_framework',
  'register_slave',
  'reregister_framework',
  'reregister_slave',
  'resource_request',
  'revive_offers',
  'status_update',
  'status_update_acknowledgement',
  'suppress_offers',
  'unregister_framework',
  'unregister_slave',
  'update_slave',
];

const OPERATION_TYPES = ['create', 'create_disk', 'destroy', 'destroy_disk', 'grow_volume', 'reserve', 'shrink_volume', 'unreserve'];
const OPERATION_STATES = ['dropped', 'error', 'failed', 'finished', 'gone_by_operator', 'pending', 'recovering', 'total', 'unreachable'];

const ZERO_GAUGES = [
  'master/event_queue_dispatches',
  'master/event_queue_http_requests',
  'master/event_queue_messages',
  'master/http_cache_hits',
  'master/invalid_executor_to_framework_messages',
  'master/invalid_framework_to_executor_messages',
  'master/invalid_operation_status_update_acknowledgements',
  'master/invalid_operation_status_updates',
  'master/invalid_status_update_acknowledgements',
  'master/invalid_status_updates',
  'master/slave_shutdowns_canceled',
  'master/slave_shutdowns_completed',
  'master/slave_shutdowns_scheduled',
  'master/valid_executor_to_framework_messages',
  'master/valid_framework_to_executor_messages',
  'master/valid_operation_status_update_acknowledgements',
  'master/valid_operation_status_updates',
  'master/valid_status_update_acknowledgements',
  'master/valid_status_updates',
  'allocator/event_queue_dispatches',
  'allocator/mesos/event_queue_dispatches',
  'registrar/queued_operations',
];

const COUNTERS: Counter[] = [
  'slave_registrations',
  'slave_reregistrations',
  'slave_removals',
  'slave_removals/reason_registered',
  'slave_removals/reason_unhealthy',
  'slave_removals/reason_unregistered',
  'slave_unreachable_scheduled',
  'slave_unreachable_completed',
  'slave_unreachable_canceled',
  'dropped_messages',
  'recovery_slave_removals',
];

const TASK_GAUGES: Array<[string, TaskState]> = [
  ['staging', 'TASK_STAGING'],
  ['starting', 'TASK_STARTING'],
  ['running', 'TASK_RUNNING'],
  ['killing', 'TASK_KILLING'],
  ['unreachable', 'TASK_UNREACHABLE'],
  ['finished', 'TASK_FINISHED'],
  ['failed', 'TASK_FAILED'],
  ['killed', 'TASK_KILLED'],
  ['lost', 'TASK_LOST'],
  ['error', 'TASK_ERROR'],
  ['dropped', 'TASK_DROPPED'],
  ['gone', 'TASK_GONE'],
  ['gone_by_operator', 'TASK_GONE_BY_OPERATOR'],
];

export function masterMetrics(ctx: MasterContext): Record<string, number> {
  const m: Record<string, number> = {};
  const { state } = ctx;
  const registered = [...state.agents.registered.values()];
  const frameworks = [...state.frameworks.registered.values()];

  for (const k of ZERO_GAUGES) m[k] = 0;
  for (const c of COUNTERS) m[`master/${c}`] = state.count(c);
  for (const name of MESSAGE_COUNTERS) m[`master/messages_${name}`] = state.count(`messages_${name}` as Counter);
  for (const s of OPERATION_STATES) m[`master/operations/${s}`] = 0;
  for (const t of OPERATION_TYPES) for (const s of OPERATION_STATES) m[`master/operations/${t}/${s}`] = 0;

  m['master/elected'] = ctx.elected() ? 1 : 0;
  m['master/uptime_secs'] = nsToSecs(nowNs() - ctx.startTime);
  m['master/operator_event_stream_subscribers'] = ctx.operatorSubscribers();
  m['master/outstanding_offers'] = state.offers.size;

  m['master/slaves_active'] = registered.filter((a) => a.active).length;
  m['master/slaves_inactive'] = registered.filter((a) => !a.active).length;
  m['master/slaves_connected'] = registered.filter((a) => a.connected).length;
  m['master/slaves_disconnected'] = registered.filter((a) => !a.connected).length;
  m['master/slaves_unreachable'] = state.agents.unreachable.size;

  m['master/frameworks_active'] = frameworks.filter((f) => f.active).length;
  m['master/frameworks_inactive'] = frameworks.filter((f) => !f.active).length;
  m['master/frameworks_connected'] = frameworks.filter((f) => f.connected).length;
  m['master/frameworks_disconnected'] = frameworks.filter((f) => !f.connected).length;

  const tasks: TaskRecord[] = frameworks.flatMap((f) => [...f.tasks.values(), ...f.unreachableTasks.values(), ...f.completedTasks]);
  for (const [name, st] of TASK_GAUGES) m[`master/tasks_${name}`] = tasks.filter((t) => t.state === st).length;

  const used = registered.flatMap((a) => state.usedOn(a.info.id));
  const offered = [...state.offers.values()].flatMap((o) => o.resources);
  const total = registered.flatMap((a) => a.info.resources);
  for (const r of ['cpus', 'gpus', 'mem', 'disk']) {
    const t = scalarSum(total, r);
    const u = scalarSum(used, r);
    m[`master/${r}_total`] = t;
    m[`master/${r}_used`] = u;
    m[`master/${r}_percent`] = t === 0 ? 0 : u / t;
    m[`master/${r}_revocable_total`] = 0;
    m[`master/${r}_revocable_used`] = 0;
    m[`master/${r}_revocable_percent`] = 0;
  }
  for (const r of ['cpus', 'mem', 'disk']) {
    m[`allocator/mesos/resources/${r}/total`] = scalarSum(total, r);
    m[`allocator/mesos/resources/${r}/offered_or_allocated`] = scalarSum([...used, ...offered], r);
  }

  if (ctx.elected()) {
    const runs = ctx.allocationRuns();
    m['allocator/mesos/allocation_runs'] = runs;
    Object.assign(m, timerMetrics('allocator/mesos/allocation_run_ms', runs, 0.1));
    Object.assign(m, timerMetrics('allocator/mesos/allocation_run_latency_ms', runs, 0.04));
    // The registrar fetched once at election and stored once per agent (re)registration.
    const stores = 1 + state.count('slave_registrations') + state.count('slave_reregistrations');
    m['registrar/registry_size_bytes'] = 132 + 160 * registered.length;
    m['registrar/state_fetch_ms'] = 0.8;
    Object.assign(m, timerMetrics('registrar/state_store_ms', stores, 0.5));
  } else {
    m['allocator/mesos/allocation_runs'] = 0;
  }

  for (const [k, v] of state.reasonCounters) m[k] = v;
  for (const c of ['valid_status_updates', 'invalid_status_updates', 'valid_status_update_acknowledgements', 'invalid_status_update_acknowledgements'] as const) {
    m[`master/${c}`] = state.count(c);
  }

  Object.assign(m, systemMetrics());
  return sortedRecord(m);
}
