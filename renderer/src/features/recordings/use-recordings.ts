import type { MesoscopeClient } from '@shared/api/client';
import type { OpenedRecording } from '@shared/contract/doctor';
import { useQuery } from '@tanstack/react-query';
import { create } from 'zustand';
import { useClient } from '../../api/client-context';
import { useUiStore } from '../../store/ui-store';

export const RECORDINGS_KEY = ['recordings'] as const;

/** The recordings folder and the recordings under way (asked again every 2 s while one runs, for its size). */
export function useRecordings() {
  const client = useClient();
  return useQuery({
    queryKey: RECORDINGS_KEY,
    queryFn: () => client.call('recordings.list', {}),
    refetchInterval: (query) => ((query.state.data?.active.length ?? 0) > 0 ? 2000 : false),
  });
}

interface ReplayState {
  /** The recording being replayed; null shows the list. */
  opened: OpenedRecording | null;
  /** The moment shown (ms since the epoch). */
  at: number;
  show(opened: OpenedRecording): void;
  setAt(at: number): void;
  close(): void;
}

export const useReplayStore = create<ReplayState>()((set) => ({
  opened: null,
  at: 0,
  // A recording opens at its last moment: the whole story, the doctor's final verdicts.
  show: (opened) => set({ opened, at: opened.end }),
  setAt: (at) => set((s) => (s.opened ? { at: Math.min(Math.max(at, s.opened.start), s.opened.end) } : {})),
  close: () => set({ opened: null }),
}));

/** Opens a recording file for replay and shows it on the Recordings page. */
export async function openRecording(client: MesoscopeClient, path: string): Promise<void> {
  if (path.endsWith('.tar.gz')) return openBundle(client, path);
  const opened = await client.call('recordings.open', { path });
  const previous = useReplayStore.getState().opened;
  if (previous) void client.call('recordings.close', { id: previous.id }).catch(() => undefined);
  useReplayStore.getState().show(opened);
  useUiStore.getState().setPage('recordings');
}

/** Opens a support bundle read-only through the recording it holds (docs/support-bundle-format.md). */
export async function openBundle(client: MesoscopeClient, path: string): Promise<void> {
  const { recording } = await client.call('bundles.open', { path });
  const previous = useReplayStore.getState().opened;
  if (previous) void client.call('recordings.close', { id: previous.id }).catch(() => undefined);
  useReplayStore.getState().show(recording);
  useUiStore.getState().setPage('recordings');
}
