import { Badge, Button, Callout, Card, Flex, Grid, Heading, Text, TextField } from '@radix-ui/themes';
import { useMutation, useQuery } from '@tanstack/react-query';
import { CircleAlert, Compass, Play } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { PageHeader } from '../../components/PageHeader';
import { useFaultStore } from '../faults/fault-store';
import { useTour } from './use-tour';

/**
 * Tours: the guided tours shipped with the app (shared/tours/data). Starting one shows its narration
 * card; each scene's action is the presenter's to trigger, and the app follows what it points at.
 */
export function ToursPage() {
  const client = useClient();
  const tour = useTour();
  const { data: tours } = useQuery({ queryKey: ['tours.list'], queryFn: () => client.call('tours.list', {}) });
  const taskImage = useFaultStore((s) => s.taskImage);
  const setTaskImage = useFaultStore((s) => s.setTaskImage);
  const [names, setNames] = useState<Record<string, string>>({});
  // Left empty, a service scene runs the image its tour names (Docker on Mesos: redis:7).
  const [serviceImage, setServiceImage] = useState('');
  const start = useMutation({
    mutationFn: (id: string) => client.call('tours.start', { tour: id, cluster: names[id]?.trim() || undefined, taskImage: taskImage.trim() || undefined, serviceImage: serviceImage.trim() || undefined }),
  });
  return (
    <div className="page">
      <PageHeader
        title="Tours"
        description="Guided demos of Mesos: each scene says what to look at, does one thing to the cluster, waits for what Mesos does and points at it."
      />
      {start.error && (
        <Callout.Root color="red" mb="4" role="alert">
          <Callout.Icon>
            <CircleAlert size={16} />
          </Callout.Icon>
          <Callout.Text>{start.error.message}</Callout.Text>
        </Callout.Root>
      )}
      <Flex align="center" gap="2" mb="4">
        <Text size="2" color="gray">
          Task image for the faults' tasks
        </Text>
        <TextField.Root size="1" value={taskImage} onChange={(e) => setTaskImage(e.target.value)} aria-label="Tour task image" style={{ width: 260 }} />
        <Text size="2" color="gray" ml="3">
          Service image
        </Text>
        <TextField.Root size="1" value={serviceImage} placeholder="the tour's own" onChange={(e) => setServiceImage(e.target.value)} aria-label="Tour service image" style={{ width: 220 }} />
      </Flex>
      <Grid columns={{ initial: '1', md: '2', lg: '3' }} gap="4">
        {(tours ?? []).map((t) => (
          <Card key={t.id} size="2" data-testid={`tour-${t.id}`}>
            <Flex direction="column" gap="2" height="100%">
              <Flex align="center" gap="2">
                <Compass size={18} />
                <Heading size="4">{t.title}</Heading>
                {tour.active && tour.tourId === t.id && <Badge color="green">Under way</Badge>}
              </Flex>
              <Text size="2" color="gray">
                {t.summary}
              </Text>
              <Text size="1" color="gray">
                {t.scenes} scenes · {t.masters} master{t.masters > 1 ? 's' : ''}, {t.agents} agents
              </Text>
              <Flex gap="2" align="center" mt="auto" pt="2">
                <TextField.Root
                  size="2"
                  placeholder={`tour-${t.id}`}
                  value={names[t.id] ?? ''}
                  onChange={(e) => setNames((n) => ({ ...n, [t.id]: e.target.value }))}
                  aria-label={`Cluster name for ${t.title}`}
                  style={{ flex: 1 }}
                />
                <Button onClick={() => start.mutate(t.id)} loading={start.isPending && start.variables === t.id} data-testid={`tour-start-${t.id}`}>
                  <Play size={14} /> Start
                </Button>
              </Flex>
            </Flex>
          </Card>
        ))}
      </Grid>
    </div>
  );
}
