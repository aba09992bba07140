import { AlertDialog, Button, Callout, Code, Flex, Text } from '@radix-ui/themes';
import { type ClusterSpec, ClusterSpecSchema } from '@shared/cluster/spec';
import { reviewSpec } from '@shared/cluster/spec-review';
import type { NodeRef } from '@shared/doctor/evidence';
import { agentFlagOf, applySpecChange, type SpecChange } from '@shared/doctor/spec-change';
import { useMutation, useMutationState } from '@tanstack/react-query';
import { CircleCheck, Download, Wrench } from 'lucide-react';
import { useClient } from '../../api/client-context';
import { ConfirmButton } from '../../components/ConfirmButton';
import { downloadSpec } from '../clusters/spec-file';
import { SpecReview } from '../clusters/SpecReview';
import { ErrorCallout } from '../../components/ErrorCallout';

/**
 * The set-up change the doctor offers, and how to make it. The engine cannot change a running
 * agent's flags, so "Apply" replaces the task's agent with one that has the change; re-creating the
 * whole cluster from the changed spec, or downloading that spec, are the other ways.
 */
/**
 * Applying a fix changes what the doctor sees (a replaced agent turns the task LOST, a new diagnosis
 * without this change), so the outcome is kept in the mutation cache under the task, not in this
 * component's state, and shown by FixOutcome, which outlives it.
 */
const fixKey = (cluster: string, taskId: string) => ['doctor.applyFix', cluster, taskId];

export function FixActions({
  change,
  cluster,
  taskId,
  spec,
  agent,
  live,
}: {
  change: SpecChange;
  cluster: string;
  taskId: string;
  spec: unknown;
  agent?: NodeRef;
  live: boolean;
}) {
  const client = useClient();
  const apply = useMutation({
    mutationKey: fixKey(cluster, taskId),
    mutationFn: (action: 'replace-agent' | 'recreate-cluster') => client.call('doctor.applyFix', { cluster, change: { path: change.path, suggested: change.suggested }, action, agent: agent?.index }),
  });
  const parsed = ClusterSpecSchema.safeParse(spec);
  const changed: ClusterSpec | null = parsed.success ? applySpecChange(parsed.data, change) : null;
  const agentLevel = agentFlagOf(change.path) !== undefined && agent !== undefined;
  // The changed spec is shown before it runs, like any spec from elsewhere: what it asks beyond the defaults.
  const review = changed ? reviewSpec(changed) : [];
  const reviewed = review.length > 0 ? <SpecReview items={review} /> : undefined;
  return (
    <Flex direction="column" gap="2" data-testid="doctor-spec-change">
      <Text size="2" weight="medium">
        <Wrench size={14} style={{ verticalAlign: '-2px' }} /> {change.summary}
      </Text>
      <Text size="1" color="gray">
        <Code size="1">{change.path}</Code>: <Code size="1">{change.current ?? '(not set)'}</Code> → <Code size="1">{change.suggested ?? '(removed)'}</Code>
      </Text>
      <Flex gap="2" wrap="wrap">
        {live && agentLevel && (
          <AlertDialog.Root>
            <AlertDialog.Trigger>
              <Button size="1" loading={apply.isPending && apply.variables === 'replace-agent'} data-testid="doctor-apply">
                Apply: replace agent {agent.index}
              </Button>
            </AlertDialog.Trigger>
            <AlertDialog.Content maxWidth={reviewed ? '640px' : '460px'}>
              <AlertDialog.Title>Replace agent {agent.index}?</AlertDialog.Title>
              <AlertDialog.Description size="2">
                A running agent&apos;s flags cannot be changed. A new agent with this change is added; once it is registered, agent {agent.index} and whatever
                still runs on it are removed. Other agents keep their set-up.
              </AlertDialog.Description>
              {reviewed}
              <Flex gap="3" mt="4" justify="end">
                <AlertDialog.Cancel>
                  <Button variant="soft" color="gray">
                    Cancel
                  </Button>
                </AlertDialog.Cancel>
                <AlertDialog.Action>
                  <Button onClick={() => apply.mutate('replace-agent')}>Replace agent {agent.index}</Button>
                </AlertDialog.Action>
              </Flex>
            </AlertDialog.Content>
          </AlertDialog.Root>
        )}
        {live && changed && (
          <ConfirmButton
            size="1"
            title={`Re-create ${cluster} with this change?`}
            description="The whole cluster is destroyed (its tasks, sandboxes and agents' work dirs go) and created again from the changed spec."
            confirmLabel="Re-create"
            details={reviewed}
            loading={apply.isPending && apply.variables === 'recreate-cluster'}
            onConfirm={() => apply.mutate('recreate-cluster')}
          >
            Re-create the cluster
          </ConfirmButton>
        )}
        {changed && (
          <Button size="1" variant="soft" color="gray" onClick={() => downloadSpec(changed, 'yaml')}>
            <Download size={12} /> Changed spec
          </Button>
        )}
      </Flex>
    </Flex>
  );
}

/** What the last fix applied to this task's set-up came to: the engine's word, or its error. */
export function FixOutcome({ cluster, taskId }: { cluster: string; taskId: string }) {
  const outcomes = useMutationState({
    filters: { mutationKey: fixKey(cluster, taskId) },
    select: (m) => ({ status: m.state.status, message: (m.state.data as { message?: string } | undefined)?.message, error: m.state.error }),
  });
  const last = outcomes.at(-1);
  if (last?.status === 'success' && last.message) {
    return (
      <Callout.Root color="green" size="1" data-testid="doctor-fix-result">
        <Callout.Icon>
          <CircleCheck size={14} />
        </Callout.Icon>
        <Callout.Text>{last.message}</Callout.Text>
      </Callout.Root>
    );
  }
  if (last?.status === 'error' && last.error) {
    return (
      <ErrorCallout size="1">{last.error.message}</ErrorCallout>
    );
  }
  return null;
}
