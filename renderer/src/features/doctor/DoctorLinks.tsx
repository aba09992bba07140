import { Button, Flex, Text } from '@radix-ui/themes';
import type { Task } from '@shared/dashboard/view';
import type { DiagnosisLinks } from '@shared/doctor/diagnosis';
import { FolderOpen, ScrollText } from 'lucide-react';
import { useDashboardSource } from '../dashboard/source';
import { openLogs } from '../logs/log-target';

/**
 * Where to look further: the task's sandbox on its agent, and the logs of the nodes in the evidence
 * (the Logs page). A recording keeps only the log lines it chose: there the links are named, not followed.
 */
export function DoctorLinks({ links, task }: { links: DiagnosisLinks; task: Task }) {
  const source = useDashboardSource();
  if (!links.sandbox && links.nodeLogs.length === 0) return null;
  const { cluster } = source;
  const live = source.kind === 'live' && cluster !== '';
  return (
    <Flex gap="2" align="center" wrap="wrap" data-testid="doctor-links">
      {links.sandbox &&
        (live ? (
          <Button
            size="1"
            variant="soft"
            color="gray"
            title={links.sandbox.path}
            onClick={() => openLogs({ kind: 'sandbox', cluster, taskId: task.id, frameworkId: links.sandbox!.frameworkId, agentId: links.sandbox!.agentId })}
          >
            <FolderOpen size={12} /> Sandbox
          </Button>
        ) : (
          <Text size="1" color="gray">
            Sandbox: {links.sandbox.path}
          </Text>
        ))}
      {links.nodeLogs.map((n) => {
        const name = `${n.role} ${n.index}`;
        return live ? (
          <Button
            key={name}
            size="1"
            variant="soft"
            color="gray"
            data-testid="doctor-node-log"
            onClick={() => openLogs({ kind: 'source', source: { kind: 'node', cluster, node: `mesoscope-${cluster}-${n.role}-${n.index}` } })}
          >
            <ScrollText size={12} /> {name} log
          </Button>
        ) : (
          <Text key={name} size="1" color="gray">
            {name} log
          </Text>
        );
      })}
    </Flex>
  );
}
