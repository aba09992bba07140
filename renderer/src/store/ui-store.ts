import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type Page = 'clusters' | 'logs' | 'recordings' | 'settings';
export type ThemePreference = 'system' | 'light' | 'dark';

interface UiState {
  page: Page;
  /** The cluster open on the Clusters page; null shows the list. */
  selectedCluster: string | null;
  theme: ThemePreference;
  setPage(page: Page): void;
  openCluster(name: string | null): void;
  setTheme(theme: ThemePreference): void;
}

/** UI state only (what is selected, how it looks); data from the host lives in react-query. */
export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      page: 'clusters',
      selectedCluster: null,
      theme: 'system',
      setPage: (page) => set({ page }),
      openCluster: (name) => set({ page: 'clusters', selectedCluster: name }),
      setTheme: (theme) => set({ theme }),
    }),
    { name: 'mesoscope.ui', partialize: (s) => ({ theme: s.theme }) },
  ),
);
