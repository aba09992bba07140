import { Badge, Button, Callout, Card, Flex, Heading, Text } from '@radix-ui/themes';
import type { ScenePhase, TourState } from '@shared/contract/tours';
import { useMutation } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, Play, RotateCcw, Stethoscope, X } from 'lucide-react';
import { useClient } from '../../api/client-context';
import { WATCHING } from '../sharing/viewer';
import { useTour } from './use-tour';
import './tours.css';

const PHASE: Record<ScenePhase, { label: string; color: 'gray' | 'blue' | 'green' | 'amber' | 'red' }> = {
  ready: { label: 'Ready', color: 'gray' },
  acting: { label: 'Acting…', color: 'blue' },
  waiting: { label: 'Waiting for the outcome…', color: 'blue' },
  landed: { label: 'Landed', color: 'green' },
  missed: { label: 'Did not come', color: 'amber' },
  failed: { label: 'Failed', color: 'red' },
};

/**
 * The tour's narration card, on every page while a tour is under way: the scene, its action and
 * outcome, the doctor's verdict it points at; Back / Do it / Next / Restart for the presenter. A viewer
 * sees the same card without the buttons (the host would refuse them anyway).
 */
export function TourCard() {
  const tour = useTour();
  const client = useClient();
  const move = useMutation({ mutationFn: (to: 'next' | 'back' | 'restart') => client.call('tours.go', { to }) });
  const act = useMutation({ mutationFn: () => client.call('tours.act', {}) });
  const end = useMutation({ mutationFn: (destroy: boolean) => client.call('tours.end', { destroy }) });
  if (!tour.active || !tour.scene) return null;
  const result = tour.result;
  const busy = result?.phase === 'acting' || result?.phase === 'waiting' || act.isPending || move.isPending || end.isPending;
  const error = act.error ?? move.error ?? end.error;
  return (
    <Card size="2" className="tour-card" data-testid="tour-card" data-scene={tour.index + 1} aria-live="polite">
      <Flex justify="between" align="center" mb="1">
        <Text size="1" color="gray" weight="medium">
          {tour.title} · scene {tour.index + 1} of {tour.count}
        </Text>
        {!WATCHING && (
          <Button size="1" variant="ghost" color="gray" onClick={() => end.mutate(true)} disabled={busy} aria-label="End the tour" data-testid="tour-end">
            <X size={14} />
          </Button>
        )}
      </Flex>
      <Heading size="4" mb="2" data-testid="tour-scene-title">
        {tour.scene.title}
      </Heading>
      <Text as="p" size="2" mb="3" data-testid="tour-narration">
        {tour.scene.narration}
      </Text>
      <SceneResult tour={tour} />
      {end.isPending && (
        <Text as="p" size="2" color="gray" mb="2" data-testid="tour-ending">
          Ending the tour and removing its cluster…
        </Text>
      )}
      {error && (
        <Callout.Root color="red" size="1" mb="2" role="alert">
          <Callout.Text>{error.message}</Callout.Text>
        </Callout.Root>
      )}
      {WATCHING ? (
        <Text size="1" color="gray">
          Following the presenter.
        </Text>
      ) : (
        <Flex gap="2" justify="between" wrap="wrap">
          <Button size="2" variant="soft" color="gray" onClick={() => move.mutate('back')} disabled={busy || tour.index === 0} data-testid="tour-back">
            <ChevronLeft size={14} /> Back
          </Button>
          {tour.scene.action && (!result || result.phase === 'failed' || result.phase === 'missed') ? (
            <Button size="2" onClick={() => act.mutate()} loading={busy} data-testid="tour-act">
              <Play size={14} /> {result ? 'Try again' : 'Do it'}
            </Button>
          ) : !tour.scene.action && !result ? (
            <Button size="2" onClick={() => act.mutate()} loading={busy} data-testid="tour-act">
              Seen it
            </Button>
          ) : null}
          {tour.index + 1 < tour.count ? (
            <Button size="2" variant={result?.phase === 'landed' ? 'solid' : 'soft'} onClick={() => move.mutate('next')} disabled={busy} data-testid="tour-next">
              Next <ChevronRight size={14} />
            </Button>
          ) : (
            <Button size="2" variant="soft" onClick={() => move.mutate('restart')} disabled={busy} data-testid="tour-restart">
              <RotateCcw size={14} /> Restart
            </Button>
          )}
        </Flex>
      )}
    </Card>
  );
}

function SceneResult({ tour }: { tour: TourState }) {
  const result = tour.result;
  const verdict = tour.highlight?.verdict;
  if (!result) return null;
  const phase = PHASE[result.phase];
  return (
    <Flex direction="column" gap="2" mb="3" data-testid="tour-result" data-phase={result.phase}>
      <Flex gap="2" align="center">
        <Badge color={phase.color}>{phase.label}</Badge>
        {result.elapsedMs !== undefined && result.phase !== 'acting' && result.phase !== 'waiting' && (
          <Text size="1" color="gray">
            {(result.elapsedMs / 1000).toFixed(1)} s
          </Text>
        )}
      </Flex>
      {result.message && (
        <Text size="2" data-testid="tour-outcome">
          {result.message}
        </Text>
      )}
      {result.doctor && (
        <Callout.Root color="amber" size="1" data-testid="tour-doctor">
          <Callout.Icon>
            <Stethoscope size={14} />
          </Callout.Icon>
          <Callout.Text>The doctor: {result.doctor}</Callout.Text>
        </Callout.Root>
      )}
      {verdict && (
        <Callout.Root color="indigo" size="1" className="tour-verdict" data-testid="tour-verdict">
          <Callout.Icon>
            <Stethoscope size={14} />
          </Callout.Icon>
          <Callout.Text>
            The doctor on {tour.highlight?.taskId}: {verdict}
          </Callout.Text>
        </Callout.Root>
      )}
    </Flex>
  );
}
