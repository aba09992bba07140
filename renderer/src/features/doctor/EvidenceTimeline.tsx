import { Badge, Button, Text } from '@radix-ui/themes';
import type { EvidenceItem } from '@shared/doctor/diagnosis';
import { Activity, Container, ScrollText, Server } from 'lucide-react';
import { useState } from 'react';
import { clockTime } from '../dashboard/describe';

const ICON = { status: Activity, docker: Container, log: ScrollText, agent: Server } as const;

export const SOURCE: Record<EvidenceItem['source'], string> = {
  'task-status': 'task status',
  'task-container': 'task container',
  'agent-container': 'agent container',
  'agent-log': 'agent log',
  'master-log': 'master log',
  'agent-state': "master's view of the agent",
};

/** Items shown either side of the decisive one until the user asks for all. */
const AROUND = 3;

/**
 * The doctor's evidence, one time-sorted list; the item that shows the cause is highlighted. A long
 * list shows the decisive item with a few either side of it first (the rest one click away).
 */
export function EvidenceTimeline({ items }: { items: readonly EvidenceItem[] }) {
  const [all, setAll] = useState(false);
  const decisive = items.findIndex((i) => i.decisive);
  const center = decisive >= 0 ? decisive : items.length - 1;
  const from = all ? 0 : Math.max(0, center - AROUND);
  const to = all ? items.length : Math.min(items.length, center + AROUND + 1);
  const more = (count: number, where: string) => (
    <Button size="1" variant="ghost" color="gray" onClick={() => setAll(true)} data-testid="doctor-evidence-more">
      {count} {where} item{count === 1 ? '' : 's'}
    </Button>
  );
  return (
    <ol className="evidence" data-testid="doctor-evidence">
      {from > 0 && <li>{more(from, 'earlier')}</li>}
      {items.slice(from, to).map((item) => {
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
              <Text as="div" size="2" weight={item.decisive ? 'bold' : 'regular'} className="evidence-title" title={item.kind === 'log' ? item.title : undefined}>
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
      {to < items.length && <li>{more(items.length - to, 'later')}</li>}
    </ol>
  );
}
