import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type Page = 'clusters' | 'logs' | 'settings';
export type ThemePreference = 'system' | 'light' | 'dark';

interface UiState {
  page: Page;
  theme: ThemePreference;
  setPage(page: Page): void;
  setTheme(theme: ThemePreference): void;
}

/** UI state only (what is selected, how it looks); data from the host lives in react-query. */
export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      page: 'clusters',
      theme: 'system',
      setPage: (page) => set({ page }),
      setTheme: (theme) => set({ theme }),
    }),
    { name: 'mesoscope.ui', partialize: (s) => ({ theme: s.theme }) },
  ),
);
