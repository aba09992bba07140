import type { ClusterView, Task } from '@shared/dashboard/view';
import type { Diagnosis } from '@shared/doctor/diagnosis';
import type { Verdicts } from '@shared/doctor/verdict';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from '../../api/client-context';
import { useDashboardSource } from '../dashboard/source';

/** States the doctor explains: every end that is not a success, an unreachable task, and one stuck in STAGING. */
export const DOCTOR_STATES: ReadonlySet<string> = new Set([
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNREACHABLE',
  'TASK_UNKNOWN',
  'TASK_STAGING',
]);

/** Evidence keeps arriving after a status (Docker's die, the agents' log lines): asked again this often while shown. */
const LIVE_REFRESH_MS = 2000;

/**
 * The doctor's diagnosis of a task: from the live cluster (asked again while evidence arrives, and as a
 * STAGING task ages), or from the recording at the moment shown.
 */
export function useDiagnosis(task: Task | undefined) {
  const client = useClient();
  const source = useDashboardSource();
  const wanted = task !== undefined && DOCTOR_STATES.has(task.state);
  return useQuery<Diagnosis>({
    queryKey:
      source.kind === 'live'
        ? ['doctor', source.cluster, task?.key, task?.state, task?.updatedAt]
        : ['recording-doctor', source.recordingId, source.at, task?.key],
    queryFn: () =>
      source.kind === 'live'
        ? client.call('doctor.diagnose', { cluster: source.cluster, taskKey: task!.key })
        : client.call('recordings.diagnose', { id: source.recordingId, t: source.at, taskKey: task!.key }),
    // Asked for every task, so that the drawer can say the doctor looked and found nothing to explain;
    // asked again only while there may be something (evidence arriving, a STAGING task ageing).
    enabled: task !== undefined && (source.kind === 'replay' || source.cluster !== ''),
    refetchInterval: source.kind === 'live' && wanted ? LIVE_REFRESH_MS : false,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/**
 * The live doctor's verdicts on a cluster's tasks (the table's markers): asked when the set of tasks
 * it could say something about changes, and every few seconds while there are any (evidence arrives
 * late; a STAGING task becomes stuck with no change to the view).
 */
export function useLiveVerdicts(cluster: string, view: ClusterView | null): Verdicts {
  const client = useClient();
  // The view looked at no more than every VERDICTS_EVERY_MS: under load tasks end many times a second,
  // each answer diagnoses every one of them, and even walking every task with each batch was a cost
  // of its own (bench:events).
  const sampled = useThrottled(view, VERDICTS_EVERY_MS);
  const asked = useMemo(() => {
    if (!sampled) return '';
    let count = 0;
    let latest = 0;
    for (const t of Object.values(sampled.tasks)) {
      if (!DOCTOR_STATES.has(t.state)) continue;
      count += 1;
      latest = Math.max(latest, t.updatedAt);
    }
    return `${count}:${latest}`;
  }, [sampled]);
  const { data } = useQuery({
    queryKey: ['doctor-verdicts', cluster, asked],
    queryFn: () => client.call('doctor.verdicts', { cluster }),
    enabled: asked !== '' && !asked.startsWith('0:'),
    refetchInterval: 5000,
    placeholderData: keepPreviousData,
    // Each signature is a query of its own: kept the default 5 minutes, a busy cluster's every-2-s
    // answers (each a verdict per ended task) piled up in the cache (bench:events' soak).
    gcTime: 10_000,
    retry: false,
  });
  return asked.startsWith('0:') ? {} : (data ?? {});
}

const VERDICTS_EVERY_MS = 2000;

/** `value`, changing at most once every `ms` (its latest value when it does). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = Math.max(0, last.current + ms - Date.now());
    const timer = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}
