import { Badge, Text } from '@radix-ui/themes';
import type { EvidenceItem } from '@shared/doctor/diagnosis';
import { Activity, Container, ScrollText, Server } from 'lucide-react';
import { clockTime } from '../dashboard/describe';

const ICON = { status: Activity, docker: Container, log: ScrollText, agent: Server } as const;

const SOURCE: Record<EvidenceItem['source'], string> = {
  'task-status': 'task status',
  'task-container': 'task container',
  'agent-container': 'agent container',
  'agent-log': 'agent log',
  'master-log': 'master log',
  'agent-state': "master's view of the agent",
};

/** The doctor's evidence, one time-sorted list; the item that shows the cause is highlighted. */
export function EvidenceTimeline({ items }: { items: readonly EvidenceItem[] }) {
  return (
    <ol className="evidence" data-testid="doctor-evidence">
      {items.map((item) => {
        const Icon = ICON[item.kind];
        return (
          <li key={item.id} className={item.decisive ? 'evidence-item evidence-decisive' : 'evidence-item'} data-decisive={item.decisive || undefined} data-kind={item.kind}>
            <Icon size={14} className="evidence-icon" aria-hidden />
            <div className="evidence-body">
              <Text as="div" size="1" color="gray">
                {clockTime(item.at)} · {SOURCE[item.source]}
                {item.node ? ` · ${item.node.role} ${item.node.index}` : ''}
                {item.decisive && (
                  <Badge color="crimson" variant="solid" size="1" ml="2">
                    decisive
                  </Badge>
                )}
              </Text>
              <Text as="div" size="2" weight={item.decisive ? 'bold' : 'regular'}>
                {item.title}
              </Text>
              {item.detail && (
                <Text as="div" size="1" className="evidence-detail">
                  {item.detail}
                </Text>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
