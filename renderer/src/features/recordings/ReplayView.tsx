import { Badge, Button, Card, Flex, Heading, Tabs, Text } from '@radix-ui/themes';
import type { OpenedRecording } from '@shared/contract/doctor';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Film, X } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { useClient } from '../../api/client-context';
import { clockTime } from '../dashboard/describe';
import { MesosTabContents, MesosTabTriggers } from '../dashboard/MesosTabs';
import { useTab } from '../dashboard/use-tab';
import { type DashboardSource, DashboardSourceContext } from '../dashboard/source';
import { offsetText, TimeSlider } from './TimeSlider';
import { useReplayStore } from './use-recordings';
import { ErrorCallout } from '../../components/ErrorCallout';

/**
 * A recording, replayed: the same Mesos tabs as a live cluster (tasks with the drawer and its doctor,
 * overview, frameworks, offers), read-only, at the moment the slider is on — the view folded up to
 * then, the doctor's verdicts from the evidence recorded by then.
 */
export function ReplayView({ opened }: { opened: OpenedRecording }) {
  const client = useClient();
  const at = useReplayStore((s) => s.at);
  const setAt = useReplayStore((s) => s.setAt);
  const close = useReplayStore((s) => s.close);
  const [tab, setTab] = useTab('tasks');
  // Dragging the slider asks for the moment it rests on, not for every pixel on the way.
  const asked = useSettled(at, 60);
  const state = useQuery({
    queryKey: ['recording-state', opened.id, asked],
    queryFn: () => client.call('recordings.stateAt', { id: opened.id, t: asked }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const view = state.data?.view ?? null;
  const source = useMemo<DashboardSource>(
    () => ({
      kind: 'replay',
      recordingId: opened.id,
      cluster: opened.header.cluster.name,
      at: state.data?.at ?? asked,
      verdicts: state.data?.verdicts ?? {},
      spec: opened.header.cluster.spec,
      layout: opened.header.cluster.layout,
    }),
    [opened, state.data, asked],
  );
  const header = opened.header;
  const shownMarks = opened.marks.filter((m) => m.t <= at);

  return (
    <div className="page" data-testid="replay">
      <Card className="replay-banner" mb="4">
        <Flex justify="between" align="start" gap="4">
          <Flex direction="column" gap="1">
            <Flex align="center" gap="2">
              <Film size={18} />
              <Heading size="5">Recording of {header.cluster.name}</Heading>
              <Badge color="amber" variant="solid" data-testid="replay-badge">
                Recording · read-only
              </Badge>
              {!opened.complete && (
                <Badge color="orange" variant="soft" title="The file has no end line: the app stopped while recording, or it is still being written.">
                  cut short
                </Badge>
              )}
            </Flex>
            <Text size="2" color="gray">
              Recorded {new Date(header.startedAt).toLocaleString()} by {header.app.name} {header.app.version} · format {header.formatVersion} ·{' '}
              {header.cluster.mesos ? `Mesos ${header.cluster.mesos.version}${header.cluster.mesos.emulator ? ' (emulator)' : ''}` : 'Mesos version unknown'} ·{' '}
              {opened.entries} entries · log lines: {header.logs}
              {opened.skipped > 0 ? ` · ${opened.skipped} entries of a newer version skipped` : ''}
            </Text>
            <Text size="1" color="gray">
              {opened.path}
            </Text>
          </Flex>
          <Button variant="soft" color="gray" onClick={() => (void client.call('recordings.close', { id: opened.id }).catch(() => undefined), close())} data-testid="replay-close">
            <X size={14} /> Close
          </Button>
        </Flex>
        <div style={{ marginTop: 'var(--space-4)' }}>
          <TimeSlider opened={opened} at={at} onChange={setAt} />
        </div>
        {shownMarks.length > 0 && (
          <ol className="mark-list" data-testid="replay-marks" style={{ marginTop: 'var(--space-3)' }}>
            {shownMarks.map((m, i) => (
              <li key={`${m.t}-${i}`}>
                <Button variant="ghost" size="1" onClick={() => setAt(m.t)}>
                  {offsetText(opened, m.t)} · {clockTime(m.t)}
                </Button>{' '}
                <Text size="1" weight="medium">
                  {m.label}
                </Text>
                {m.detail && (
                  <Text size="1" color="gray">
                    {' '}
                    — {m.detail}
                  </Text>
                )}
              </li>
            ))}
          </ol>
        )}
      </Card>
      {state.error && (
        <ErrorCallout mb="4">{state.error.message}</ErrorCallout>
      )}
      <DashboardSourceContext.Provider value={source}>
        <Tabs.Root value={tab} onValueChange={setTab}>
          <Tabs.List mb="4">
            <MesosTabTriggers view={view} />
            <Flex align="center" ml="auto" pr="2">
              <Text size="1" color="gray" data-testid="replay-evidence">
                {state.data ? `${state.data.evidence.dockerEvents} Docker events · ${state.data.evidence.logLines} log lines by then` : ''}
              </Text>
            </Flex>
          </Tabs.List>
          <MesosTabContents tab={tab} view={view} waiting={state.isPending ? 'Reading…' : 'Nothing was recorded of the cluster yet at this moment.'} />
        </Tabs.Root>
      </DashboardSourceContext.Provider>
    </div>
  );
}

/** The value once it has not changed for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
