import type { LogSource } from '@shared/logs/schema';
import { create } from 'zustand';
import { useUiStore } from '../../store/ui-store';

/**
 * What the Logs page shows: a cluster, and in it a source (node log, task output, sandbox file) or a
 * task's sandbox browser. Entry points elsewhere (node cards, the task drawer) set it and open the page.
 */
export type LogView =
  /**
   * `back`: where the user came from (the sandbox a file was opened from); `find`: search the viewer for
   * this at once; `at`: files, open at the line starting at this byte offset (a search match), marked.
   */
  | { kind: 'source'; source: LogSource; back?: LogView; find?: string; at?: number }
  | { kind: 'sandbox'; cluster: string; taskId: string; frameworkId?: string; agentId?: string }
  /** Every task's output searched at once. */
  | { kind: 'search'; cluster: string };

interface LogTargetState {
  cluster: string | null;
  view: LogView | null;
  setCluster(cluster: string | null): void;
  show(view: LogView | null): void;
}

export const useLogTarget = create<LogTargetState>()((set) => ({
  cluster: null,
  view: null,
  setCluster: (cluster) => set({ cluster, view: null }),
  show: (view) => set(view ? { view, cluster: view.kind === 'source' ? view.source.cluster : view.cluster } : { view: null }),
}));

/** Show `view` on the Logs page, from wherever the user is. */
export function openLogs(view: LogView): void {
  useLogTarget.getState().show(view);
  useUiStore.getState().setPage('logs');
}
