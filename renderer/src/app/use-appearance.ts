import { useSyncExternalStore } from 'react';
import { useUiStore } from '../store/ui-store';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

function subscribe(onChange: () => void): () => void {
  const query = darkQuery();
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** Light or dark: the user's choice in Settings, else the OS's, following it live. */
export function useAppearance(): 'light' | 'dark' {
  const preference = useUiStore((s) => s.theme);
  const systemDark = useSyncExternalStore(subscribe, () => darkQuery().matches);
  if (preference !== 'system') return preference;
  return systemDark ? 'dark' : 'light';
}
