import { Code, Flex, Text } from '@radix-ui/themes';
import type { Task } from '@shared/dashboard/view';
import type { DiagnosisLinks } from '@shared/doctor/diagnosis';

/** Where to look further: the task's sandbox on its agent, and the logs of the nodes in the evidence. */
export function DoctorLinks({ links }: { links: DiagnosisLinks; task: Task }) {
  if (!links.sandbox && links.nodeLogs.length === 0) return null;
  return (
    <Flex direction="column" gap="1" data-testid="doctor-links">
      {links.sandbox && (
        <Text size="1" color="gray">
          Sandbox: <Code size="1">{links.sandbox.path}</Code> on agent <Code size="1">{links.sandbox.agentId}</Code>
        </Text>
      )}
      {links.nodeLogs.length > 0 && (
        <Text size="1" color="gray">
          Node logs: {links.nodeLogs.map((n) => `${n.role} ${n.index}`).join(', ')}
        </Text>
      )}
    </Flex>
  );
}
