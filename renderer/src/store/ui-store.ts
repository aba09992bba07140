import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Citation } from '../features/reference/citation';
import { WATCHING } from '../features/sharing/viewer';

export type Page = 'clusters' | 'tours' | 'logs' | 'recordings' | 'settings' | 'reference';
export type ThemePreference = 'system' | 'light' | 'dark';

interface UiState {
  page: Page;
  /** The cluster open on the Clusters page; null shows the list. */
  selectedCluster: string | null;
  theme: ThemePreference;
  /** What the Reference page shows: a document of docs/mesos, opened at the cited place. */
  reference: Pick<Citation, 'doc' | 'anchor'>;
  /** The page a citation was followed from (the Reference page's Back). */
  referenceFrom: Page | null;
  setPage(page: Page): void;
  openReference(citation: Pick<Citation, 'doc' | 'anchor'>): void;
  openCluster(name: string | null): void;
  setTheme(theme: ThemePreference): void;
}

/** UI state only (what is selected, how it looks); data from the host lives in react-query. */
export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      page: 'clusters',
      // The audience view opens on the cluster it was given.
      selectedCluster: WATCHING,
      theme: 'system',
      reference: { doc: 'api', anchor: null },
      referenceFrom: null,
      setPage: (page) => set({ page }),
      openReference: (citation) =>
        set((s) => ({ page: 'reference', reference: { doc: citation.doc, anchor: citation.anchor }, referenceFrom: s.page === 'reference' ? s.referenceFrom : s.page })),
      openCluster: (name) => set({ page: 'clusters', selectedCluster: name }),
      setTheme: (theme) => set({ theme }),
    }),
    { name: 'mesoscope.ui', partialize: (s) => ({ theme: s.theme }) },
  ),
);
