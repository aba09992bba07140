import { Badge, Box, Button, Code, Flex, Text } from '@radix-ui/themes';
import type { Injection } from '@shared/contract/runs';
import type { ClusterView } from '@shared/dashboard/view';
import { faultById } from '@shared/faults/catalog';
import { statusText } from '@shared/faults/expectation';
import { judge, type Verdict } from '@shared/faults/judge';
import { useMutation } from '@tanstack/react-query';
import { Undo2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useClient } from '../../api/client-context';
import { clockTime, shortState } from '../dashboard/describe';
import { useRuns } from '../run/use-runs';

const VERDICT: Record<Verdict, { label: string; color: 'gray' | 'green' | 'red' | 'amber' }> = {
  waiting: { label: 'Watching…', color: 'gray' },
  'as-expected': { label: 'As faults.md says', color: 'green' },
  different: { label: 'Not what faults.md says', color: 'red' },
  late: { label: 'Late', color: 'amber' },
  early: { label: 'Early', color: 'amber' },
};

const portOf = (url: string | undefined) => (url ? new URL(url).port : undefined);

/** What the fault really did to its task, beside what faults.md says, live from the dashboard's view. */
export function FaultResult({ injection, view }: { injection: Injection; view: ClusterView | null }) {
  const client = useClient();
  const runs = useRuns(injection.cluster);
  const [now, setNow] = useState(() => Date.now());
  const [leaderChangedAt, setLeaderChangedAt] = useState<number | undefined>(undefined);
  const leader = view?.masters.find((m) => m.leader)?.url;
  const fault = faultById(injection.fault);
  const task = view?.tasks[`${injection.frameworkId}/${injection.taskId}`];
  const reconciled = runs.updates.find((u) => u.taskId === injection.taskId && u.frameworkId === injection.frameworkId && u.reason === 'REASON_RECONCILIATION');
  const judgement = judge({ expectation: injection.expectation, injectedAt: injection.injectedAt, task, now, leaderChangedAt, reconciled });
  const undo = useMutation({ mutationFn: (action: 'unpause' | 'start' | 'reconnect') => client.call('faults.undo', { cluster: injection.cluster, node: injection.node ?? '', action }) });

  const leaderMoved = injection.leaderBefore !== undefined && leader !== undefined && portOf(leader) !== portOf(injection.leaderBefore);
  // When the view first shows another leader (adjusting state while rendering, as React recommends over an effect).
  if (leaderMoved && leaderChangedAt === undefined) setLeaderChangedAt(now);
  const watching = judgement.verdict === 'waiting';
  useEffect(() => {
    if (!watching) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [watching]);

  const verdict = VERDICT[judgement.verdict];
  const exp = injection.expectation;
  return (
    <Box className="fault-result" data-testid={`fault-result-${injection.fault}`} data-verdict={judgement.verdict}>
      <Flex direction="column" gap="2">
        <Flex gap="2" align="center" wrap="wrap">
          <Badge color={verdict.color} size="2" data-testid="fault-verdict">
            {verdict.label}
          </Badge>
          <Text size="2" data-testid="fault-detail">
            {judgement.detail}
          </Text>
        </Flex>
        <Text size="1" color="gray">
          Task <Code variant="ghost" data-testid="fault-task-id">{injection.taskId}</Code> · injected at {clockTime(injection.injectedAt)}
          {task ? ` · now ${shortState(task.state)}` : ''}
        </Text>
        <Text size="1">{exp.summary}</Text>
        {exp.final && (
          <Text size="1">
            Expected <Code variant="ghost">{statusText(exp.final)}</Code>
          </Text>
        )}
        {judgement.observed && (
          <Text size="1" data-testid="fault-observed">
            Observed <Code variant="ghost">{statusText({ state: judgement.observed.state, reason: judgement.observed.reason ?? null, source: judgement.observed.source ?? 'SOURCE_MASTER', message: judgement.observed.message ?? '' })}</Code>
            {judgement.elapsedMs !== undefined ? ` after ${(judgement.elapsedMs / 1000).toFixed(1)} s` : ''}
          </Text>
        )}
        {exp.reconcile && reconciled && (
          <Text size="1" data-testid="fault-reconciled">
            Asked, the master answered <Code variant="ghost">{statusText({ state: reconciled.state, reason: reconciled.reason ?? null, source: reconciled.source ?? 'SOURCE_MASTER', message: reconciled.message ?? '' })}</Code>
          </Text>
        )}
        <Text as="div" size="1" color="gray">
          {injection.steps.join(' → ')}
        </Text>
        {exp.then && (
          <Text size="1" color="gray">
            {exp.then}
          </Text>
        )}
        {fault.undo && injection.node && (
          <Flex>
            <Button size="1" variant="soft" onClick={() => undo.mutate(fault.undo!.action)} loading={undo.isPending} disabled={undo.isSuccess} data-testid={`undo-${injection.fault}`}>
              <Undo2 size={12} /> {undo.isSuccess ? 'Done' : fault.undo.label}
            </Button>
            {undo.error && (
              <Text size="1" color="red" ml="2">
                {undo.error.message}
              </Text>
            )}
          </Flex>
        )}
      </Flex>
    </Box>
  );
}
