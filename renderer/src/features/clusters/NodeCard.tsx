import { Badge, Card, DropdownMenu, Flex, IconButton, Text } from '@radix-ui/themes';
import type { ClusterSummary, NodeStatus } from '@shared/cluster/status';
import { Database, EllipsisVertical, ScrollText, Server, Workflow } from 'lucide-react';
import { openLogs } from '../logs/log-target';
import { TerminalButton } from '../terminal/TerminalButton';
import { useTourHighlight } from '../tours/use-tour';
import { useClusterCall } from './use-cluster-actions';

const ROLE = {
  zookeeper: { label: 'ZooKeeper', icon: <Database size={16} /> },
  master: { label: 'Master', icon: <Workflow size={16} /> },
  agent: { label: 'Agent', icon: <Server size={16} /> },
} as const;

const STATE_COLOR: Record<NodeStatus['state'], 'green' | 'amber' | 'red' | 'gray' | 'blue'> = {
  running: 'green',
  paused: 'amber',
  restarting: 'blue',
  created: 'gray',
  exited: 'red',
  dead: 'red',
  removing: 'gray',
  missing: 'amber',
};

/** A node: role, container state, address, uptime, ports; and what can be done to it. */
export function NodeCard({ cluster, node, leading = false }: { cluster: ClusterSummary; node: NodeStatus; leading?: boolean }) {
  const action = useClusterCall('clusters.nodeAction');
  const removeAgent = useClusterCall('clusters.removeAgent');
  const agentSlot = node.role === 'agent' ? cluster.layout.agents.find((a) => a.index === node.index) : undefined;
  const tourHighlight = useTourHighlight(cluster.name);
  const highlighted = tourHighlight?.node === node.name;
  const act = (a: 'stop' | 'start' | 'restart' | 'pause' | 'unpause') => action.mutate({ cluster: cluster.name, node: node.name, action: a });

  return (
    <Card size="2" data-testid={`node-${node.name}`} data-state={node.state} className={highlighted ? 'tour-highlight' : undefined} data-tour-highlight={highlighted || undefined}>
      <Flex justify="between" align="start" gap="2">
        <Flex align="center" gap="2">
          <span className="role-icon">{ROLE[node.role].icon}</span>
          <div>
            <Text as="div" weight="bold" size="2">
              {ROLE[node.role].label} {node.role === 'zookeeper' ? '' : node.index}
              {leading && (
                <Badge color="indigo" ml="2" data-testid="leader-mark">
                  leader
                </Badge>
              )}
            </Text>
            <Text as="div" size="1" color="gray">
              {node.name}
            </Text>
          </div>
        </Flex>
        <Flex align="center" gap="1">
          <Badge color={STATE_COLOR[node.state]} data-testid="node-state">
            {stateLabel(node)}
          </Badge>
          <IconButton
            variant="ghost"
            color="gray"
            size="1"
            aria-label={`Logs of ${node.name}`}
            disabled={!node.containerId}
            onClick={() => openLogs({ kind: 'source', source: { kind: 'node', cluster: cluster.name, node: node.name } })}
          >
            <ScrollText size={14} />
          </IconButton>
          <TerminalButton icon target={{ kind: 'node', cluster: cluster.name, node: node.name }} disabled={node.state !== 'running'} />
          <DropdownMenu.Root>
            <DropdownMenu.Trigger>
              <IconButton variant="ghost" color="gray" size="1" aria-label={`Actions for ${node.name}`} disabled={!node.containerId}>
                <EllipsisVertical size={14} />
              </IconButton>
            </DropdownMenu.Trigger>
            <DropdownMenu.Content>
              {node.state === 'running' && <DropdownMenu.Item onSelect={() => act('stop')}>Stop</DropdownMenu.Item>}
              {node.state === 'running' && <DropdownMenu.Item onSelect={() => act('pause')}>Pause</DropdownMenu.Item>}
              {node.state === 'paused' && <DropdownMenu.Item onSelect={() => act('unpause')}>Unpause</DropdownMenu.Item>}
              {(node.state === 'exited' || node.state === 'created' || node.state === 'dead') && (
                <DropdownMenu.Item onSelect={() => act('start')}>Start</DropdownMenu.Item>
              )}
              <DropdownMenu.Item onSelect={() => act('restart')}>Restart</DropdownMenu.Item>
              {node.role === 'agent' && (
                <>
                  <DropdownMenu.Separator />
                  <DropdownMenu.Item color="red" onSelect={() => removeAgent.mutate({ cluster: cluster.name, index: node.index })}>
                    Remove agent
                  </DropdownMenu.Item>
                </>
              )}
            </DropdownMenu.Content>
          </DropdownMenu.Root>
        </Flex>
      </Flex>
      <Flex direction="column" gap="1" mt="3">
        <Detail label="Address" value={node.address} />
        <Detail label="Up" value={node.state === 'running' && node.startedAt ? since(node.startedAt) : '—'} />
        {agentSlot && <Detail label="Task ports" value={`${agentSlot.taskPorts.begin}-${agentSlot.taskPorts.end}`} />}
        <Detail label="Image" value={node.image} />
      </Flex>
      {(action.error ?? removeAgent.error) && (
        <Text size="1" color="red" mt="2" as="p">
          {(action.error ?? removeAgent.error)?.message}
        </Text>
      )}
    </Card>
  );
}

function Detail({ label, value }: { label: string; value: string }) {
  return (
    <Flex gap="2" justify="between">
      <Text size="1" color="gray">
        {label}
      </Text>
      <Text size="1" className="detail-value" truncate>
        {value}
      </Text>
    </Flex>
  );
}

function stateLabel(node: NodeStatus): string {
  if (node.state === 'exited') return node.oomKilled ? 'OOM killed' : `exited (${node.exitCode ?? '?'})`;
  if (node.state === 'missing') return 'not created';
  return node.state;
}

function since(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
