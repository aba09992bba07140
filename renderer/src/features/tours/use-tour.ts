import type { SharingState, TourState } from '@shared/contract/tours';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useClient } from '../../api/client-context';
import { useUiStore } from '../../store/ui-store';
import { useClusters } from '../clusters/use-clusters';

export const TOUR_KEY = ['tours.state'] as const;
export const SHARING_KEY = ['sharing.state'] as const;

const NO_TOUR: TourState = { active: false, index: 0, count: 0, results: [] };
const NOT_SHARED: SharingState = { on: false, viewers: 0 };

/** Mounted once: the tour under way and the audience view's state, pushed by the host into the query cache. */
export function useTourFeeds(): void {
  const client = useClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    const stops = [
      client.subscribe('tours.state', {}, (state) => queryClient.setQueryData<TourState>(TOUR_KEY, state)),
      client.subscribe('sharing.state', {}, (state) => queryClient.setQueryData<SharingState>(SHARING_KEY, state)),
    ];
    return () => stops.forEach((stop) => stop());
  }, [client, queryClient]);
}

export function useTour(): TourState {
  return useQuery<TourState>({ queryKey: TOUR_KEY, queryFn: () => NO_TOUR, enabled: false, initialData: NO_TOUR }).data;
}

export function useSharing(): SharingState {
  return useQuery<SharingState>({ queryKey: SHARING_KEY, queryFn: () => NOT_SHARED, enabled: false, initialData: NOT_SHARED }).data;
}

/** The tour's highlight on this cluster, or undefined (another cluster, no tour). */
export function useTourHighlight(cluster: string) {
  const tour = useTour();
  return tour.active && tour.cluster === cluster ? tour.highlight : undefined;
}

/**
 * Follows the tour's highlights (the presenter's app and every viewer alike): when a scene points
 * somewhere new, the tour's cluster is opened (once it exists); the cluster page then shows the tab.
 */
export function useFollowTour(): void {
  const tour = useTour();
  const { data: clusters } = useClusters();
  const openCluster = useUiStore((s) => s.openCluster);
  const followed = useRef<string | null>(null);
  const key = tour.active && tour.highlight ? highlightKey(tour) : null;
  const exists = !!tour.cluster && (clusters ?? []).some((c) => c.name === tour.cluster);
  useEffect(() => {
    if (!key || !exists || followed.current === key || !tour.cluster) return;
    followed.current = key;
    openCluster(tour.cluster);
  }, [key, exists, tour.cluster, openCluster]);
}

export function highlightKey(tour: TourState): string {
  const h = tour.highlight;
  return `${tour.tourId}:${tour.index}:${h?.tab ?? ''}:${h?.taskKey ?? ''}:${h?.node ?? ''}`;
}
