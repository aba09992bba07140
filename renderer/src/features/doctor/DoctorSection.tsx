import { Badge, Card, Code, Flex, Heading, Text } from '@radix-ui/themes';
import type { Agent, Task } from '@shared/dashboard/view';
import type { Diagnosis } from '@shared/doctor/diagnosis';
import { agentNodeOf } from '@shared/doctor/input';
import { RULES } from '@shared/doctor/rules';
import { HelpCircle, Stethoscope } from 'lucide-react';
import { useCluster } from '../clusters/use-clusters';
import { clockTime } from '../dashboard/describe';
import { useDashboardSource } from '../dashboard/source';
import { citationsOfRuleRefs } from '../reference/citation';
import { CitationLink } from '../reference/CitationLink';
import { DoctorLinks } from './DoctorLinks';
import { EvidenceTimeline, SOURCE } from './EvidenceTimeline';
import { FixActions, FixOutcome } from './FixActions';
import { useDiagnosis } from './use-doctor';
import './doctor.css';

/** Why the doctor had nothing to say, as the drawer puts it. */
const NOTHING: Record<Extract<Diagnosis, { kind: 'none' }>['why'], string> = {
  finished: 'the task finished.',
  active: 'the task is active.',
  staging: 'the task has not been staging long enough to call it stuck.',
  'awaiting-status': 'its last status is still on its way to the framework.',
};

/**
 * The task drawer's "Doctor": why the task failed, was lost, killed or dropped, is unreachable or is
 * stuck in STAGING — the cause in plain words, the fix, the set-up change where the cause is there,
 * and the evidence with the decisive item marked. A status no rule knows is shown raw, never guessed at.
 */
export function DoctorSection({ task, agent }: { task: Task; agent: Agent | undefined }) {
  const source = useDashboardSource();
  const live = useCluster(source.kind === 'live' ? source.cluster : null);
  const { data, error, isPending, fetchStatus } = useDiagnosis(task);
  if (fetchStatus === 'idle' && isPending) return null; // a state the doctor has nothing to say about
  if (error) {
    return (
      <Text size="1" color="gray" data-testid="doctor-error">
        The doctor could not look at this task: {error.message}
      </Text>
    );
  }
  if (!data) return null;
  if (data.kind === 'none') {
    return (
      <Text size="1" color="gray" data-testid="doctor-nothing" data-why={data.why}>
        <Stethoscope size={12} /> The doctor has nothing to explain: {NOTHING[data.why]}
      </Text>
    );
  }

  const spec = source.kind === 'live' ? live?.spec : source.spec;
  const layout = source.kind === 'live' ? live?.layout : source.layout;
  const agentNode = agent ? agentNodeOf(agent, layout) : undefined;
  const decisive = data.timeline.find((i) => i.decisive);

  if (data.kind === 'unrecognised') {
    return (
      <Card className="doctor doctor-unrecognised" data-testid="doctor" data-kind="unrecognised">
        <Flex direction="column" gap="2">
          <Flex align="center" gap="2">
            <HelpCircle size={16} />
            <Heading size="3">Doctor: unrecognised</Heading>
          </Flex>
          <Text size="2">No rule knows this combination; here it is as Mesos sent it, so nothing is guessed.</Text>
          <Code size="1" data-testid="doctor-raw" style={{ whiteSpace: 'pre-wrap' }}>
            {[data.raw.state, data.raw.reason ?? '(no reason)', data.raw.source ?? '(no source)'].join(' · ')}
            {data.raw.message ? `\n${data.raw.message}` : ''}
          </Code>
          <EvidenceTimeline items={data.timeline} />
          <EvidenceGaps gaps={data.evidenceGaps} />
          <DoctorLinks links={data.links} task={task} />
        </Flex>
      </Card>
    );
  }

  return (
    <Card className="doctor" data-testid="doctor" data-kind="diagnosed" data-rule={data.ruleId}>
      <Flex direction="column" gap="3">
        <Flex align="center" gap="2" wrap="wrap">
          <Stethoscope size={16} />
          <Heading size="3" data-testid="doctor-title">
            {data.title}
          </Heading>
        </Flex>
        <Text as="p" size="2" data-testid="doctor-cause">
          {data.cause}
        </Text>
        {decisive && (
          <div className="doctor-decisive" data-testid="doctor-decisive">
            <Text as="div" size="1" color="gray">
              Decisive evidence · {clockTime(decisive.at)} · {SOURCE[decisive.source]}
            </Text>
            <Text as="div" size="2" weight="bold">
              {decisive.title}
            </Text>
          </div>
        )}
        <div>
          <Text as="div" size="1" weight="bold" color="gray">
            Fix
          </Text>
          <Text as="p" size="2" data-testid="doctor-fix">
            {data.fix}
          </Text>
        </div>
        {data.specChange && (
          <FixActions change={data.specChange} cluster={source.cluster} taskId={task.id} spec={spec} agent={agentNode} live={source.kind === 'live'} />
        )}
        <FixOutcome cluster={source.cluster} taskId={task.id} />
        <div>
          <Text as="div" size="1" weight="bold" color="gray" mb="1">
            Evidence
          </Text>
          <EvidenceTimeline items={data.timeline} />
          <EvidenceGaps gaps={data.evidenceGaps} />
        </div>
        <DoctorLinks links={data.links} task={task} />
        <Text size="1" color="gray">
          Rule <Badge variant="soft" color="gray">{data.ruleId}</Badge> · Mesos {data.mesos.version}
          {data.mesos.assumed ? ' (assumed: the master did not say)' : ''}
          <RuleCitations ruleId={data.ruleId} />
        </Text>
      </Flex>
    </Card>
  );
}

/** Evidence the doctor could not gather (an attached cluster's Docker endpoint that does not answer), in words. */
function EvidenceGaps({ gaps }: { gaps: string[] | undefined }) {
  if (!gaps?.length) return null;
  return (
    <div data-testid="doctor-evidence-gaps">
      {gaps.map((g) => (
        <Text key={g} as="p" size="1" color="amber">
          {g}
        </Text>
      ))}
    </div>
  );
}

/** Where the rule comes from: rows of docs/mesos/api.md §9 and faults.md, each a link to the Reference page. */
function RuleCitations({ ruleId }: { ruleId: string }) {
  const refs = RULES.find((r) => r.id === ruleId)?.refs;
  const citations = refs ? citationsOfRuleRefs(refs) : [];
  if (citations.length === 0) return null;
  return (
    <span data-testid="doctor-citations">
      {' · '}
      {citations.map((c, i) => (
        <span key={c.label}>
          {i > 0 ? ', ' : ''}
          <CitationLink citation={c} />
        </span>
      ))}
    </span>
  );
}
