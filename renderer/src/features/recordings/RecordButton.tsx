import { Button, Flex, Text } from '@radix-ui/themes';
import type { SavedRecording } from '@shared/contract/doctor';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Circle, Film, Square } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useClient } from '../../api/client-context';
import { openRecording, RECORDINGS_KEY, useRecordings } from './use-recordings';
import './recordings.css';

/** On a cluster's page: record its session into a file, see it grow, stop, and replay what was saved. */
export function RecordButton({ cluster }: { cluster: string }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const { data } = useRecordings();
  const active = data?.active.find((a) => a.cluster === cluster);
  const [saved, setSaved] = useState<SavedRecording | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: RECORDINGS_KEY });
  const start = useMutation({
    mutationFn: () => client.call('recordings.start', { cluster }),
    onSuccess: () => {
      setSaved(null);
      refresh();
    },
  });
  const stop = useMutation({
    mutationFn: () => client.call('recordings.stop', { cluster }),
    onSuccess: (summary) => {
      setSaved(summary);
      refresh();
    },
  });
  const open = useMutation({ mutationFn: (path: string) => openRecording(client, path) });
  const elapsed = useElapsed(active?.startedAt);
  const error = start.error ?? stop.error ?? open.error;

  return (
    <Flex align="center" gap="2">
      {active ? (
        // High contrast: white on Radix's red 9 is under 4.5:1.
        <Button color="red" variant="solid" highContrast onClick={() => stop.mutate()} loading={stop.isPending} data-testid="record-stop" title={active.path}>
          <Square size={12} fill="currentColor" /> Stop recording
          <span className="record-clock" data-testid="record-elapsed">
            {elapsed}
          </span>
        </Button>
      ) : (
        <Button variant="soft" color="red" onClick={() => start.mutate()} loading={start.isPending} data-testid="record-start">
          <Circle size={12} fill="currentColor" /> Record
        </Button>
      )}
      {saved && !active && (
        <Button variant="ghost" size="1" onClick={() => open.mutate(saved.path)} loading={open.isPending} data-testid="record-saved" title={saved.path}>
          <Film size={12} /> Replay {saved.entries} entries
        </Button>
      )}
      {error && (
        <Text size="1" color="red" role="alert">
          {error.message}
        </Text>
      )}
    </Flex>
  );
}

/** m:ss since a moment, ticking every second while there is one. */
function useElapsed(since: number | undefined): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  if (since === undefined) return '';
  const secs = Math.max(0, Math.floor((now - since) / 1000));
  return `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
}
