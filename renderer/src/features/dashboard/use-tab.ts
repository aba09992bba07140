import { startTransition, useCallback, useState } from 'react';

/**
 * A page's tab. A switch renders the new tab as a transition: in slices between frames, the tab shown
 * until then staying on screen until it is ready, so that a click is never one long frame (bench:events:
 * a 10,000-task table or 50 agents to render while the cluster is busy).
 */
export function useTab(initial: string): [string, (tab: string) => void] {
  const [tab, setTab] = useState(initial);
  const switchTo = useCallback((next: string) => startTransition(() => setTab(next)), []);
  return [tab, switchTo];
}
