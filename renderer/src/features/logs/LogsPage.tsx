import { Card } from '@radix-ui/themes';
import { ScrollText } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function LogsPage() {
  return (
    <div className="page">
      <PageHeader title="Logs" description="Follow any node's log and any task's stdout and stderr." />
      <Card size="3">
        <EmptyState icon={<ScrollText size={28} />} title="Nothing to follow yet">
          When a cluster runs, the logs of its ZooKeeper, masters and agents, and the sandboxes of its tasks, are listed
          here.
        </EmptyState>
      </Card>
    </div>
  );
}
