import type { ClusterSpecInput } from './spec';

export interface ClusterPreset {
  id: string;
  label: string;
  description: string;
  spec: Omit<ClusterSpecInput, 'name'>;
}

export const PRESETS: readonly ClusterPreset[] = [
  {
    id: 'single',
    label: '1 master, 1 agent',
    description: 'The smallest cluster: quick to start, enough to run a framework against.',
    spec: { masters: { count: 1 }, agents: { count: 1 } },
  },
  {
    id: 'three-agents',
    label: '1 master, 3 agents',
    description: 'Enough agents to watch placement, offers spread over nodes, and an agent failing.',
    spec: { masters: { count: 1 }, agents: { count: 3 } },
  },
  {
    id: 'ha',
    label: 'HA: 3 masters, 3 agents',
    description: 'Leader election through ZooKeeper: stop the leader and watch another take over.',
    spec: { masters: { count: 3 }, agents: { count: 3 } },
  },
];
