import type { ClusterLayout } from '@shared/cluster/layout';
import type { ClusterView } from '@shared/dashboard/view';
import type { Verdicts } from '@shared/doctor/verdict';
import { createContext, useContext } from 'react';

/**
 * Where the Mesos tabs' view comes from: a live cluster, or a recording at one moment (read-only:
 * no kill buttons, no Docker look-ups, no fixes to apply). The doctor asks the matching host calls.
 * `verdicts`: what the doctor says about the tasks, for the markers in the task table.
 */
export type DashboardSource =
  /** `readOnly`: an attached cluster whose writes are off (Kill is not offered; the host refuses it anyway). */
  | { kind: 'live'; cluster: string; verdicts: Verdicts; readOnly?: boolean }
  /** `spec` as the recording has it (checked by whoever reads it), `layout` the cluster's then. */
  | { kind: 'replay'; recordingId: string; cluster: string; at: number; verdicts: Verdicts; spec: unknown; layout: ClusterLayout };

export const DashboardSourceContext = createContext<DashboardSource | null>(null);

/** The source of the view shown; outside a provider, a live view without verdicts. */
export function useDashboardSource(): DashboardSource {
  return useContext(DashboardSourceContext) ?? { kind: 'live', cluster: '', verdicts: {} };
}

/**
 * The page's live view, for the parts outside the tabs that need every batch (the run dialog's agents
 * and offers). Passed down as a prop, it rendered the page's whole header again with each batch.
 */
export const LiveViewContext = createContext<ClusterView | null>(null);
