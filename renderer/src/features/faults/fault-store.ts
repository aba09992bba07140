import type { Injection } from '@shared/contract/runs';
import type { FaultId } from '@shared/faults/catalog';
import type { FrameworkVariant } from '@shared/runs/schemas';
import { create } from 'zustand';

/** UI state of the Faults tab: the variant and task image chosen, and the last injection of each fault per cluster. */
interface FaultState {
  variant: FrameworkVariant;
  taskImage: string;
  results: Record<string, Injection>;
  setVariant(v: Partial<FrameworkVariant>): void;
  setTaskImage(image: string): void;
  record(injection: Injection): void;
  clear(cluster: string, fault: FaultId): void;
}

export const resultKey = (cluster: string, fault: FaultId) => `${cluster}/${fault}`;

export const useFaultStore = create<FaultState>()((set) => ({
  variant: { checkpoint: true, partitionAware: false },
  taskImage: 'busybox:1.36',
  results: {},
  setVariant: (v) => set((s) => ({ variant: { ...s.variant, ...v } })),
  setTaskImage: (taskImage) => set({ taskImage }),
  record: (injection) => set((s) => ({ results: { ...s.results, [resultKey(injection.cluster, injection.fault)]: injection } })),
  clear: (cluster, fault) =>
    set((s) => {
      const { [resultKey(cluster, fault)]: _gone, ...results } = s.results;
      return { results };
    }),
}));
