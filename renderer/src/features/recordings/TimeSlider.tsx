import { Button, Flex, IconButton, Slider, Text, TextField, Tooltip } from '@radix-ui/themes';
import type { OpenedRecording } from '@shared/contract/doctor';
import { ChevronLeft, ChevronRight, ChevronsLeft, ChevronsRight, Flag } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { clockTime } from '../dashboard/describe';

/** Seconds from the start, as the slider shows them: `+12.345 s`. */
export const offsetText = (opened: OpenedRecording, at: number) => `+${((at - opened.start) / 1000).toFixed(3)} s`;

/**
 * The recording's time line: a slider from its start to its end, its marks (faults injected, nodes
 * stopped, notes) as flags above it, steps to the previous and next moment the view changed, and the
 * moment as a time of day and as seconds from the start (type one to go there).
 */
export function TimeSlider({ opened, at, onChange }: { opened: OpenedRecording; at: number; onChange: (at: number) => void }) {
  const span = Math.max(1, opened.end - opened.start);
  const previous = [...opened.moments].reverse().find((m) => m < at);
  const next = opened.moments.find((m) => m > at);
  const [typed, setTyped] = useState<string | null>(null);
  // Radix Themes' Slider keeps aria-label on its root and gives the thumb (role="slider", the element a
  // screen reader reaches) no name of its own, and passes no props to it: name it here.
  const slider = useRef<HTMLSpanElement>(null);
  useEffect(() => slider.current?.querySelector('[role="slider"]')?.setAttribute('aria-label', 'Moment of the recording'));
  const go = () => {
    const secs = Number((typed ?? '').replace(/^\+/, '').replace(/s$/, '').trim());
    if (Number.isFinite(secs)) onChange(opened.start + secs * 1000);
    setTyped(null);
  };
  return (
    <Flex direction="column" gap="2" data-testid="time-slider">
      <div className="slider-marks">
        {opened.marks.map((m, i) => (
          <Tooltip key={`${m.t}-${i}`} content={`${m.label}${m.detail ? ` — ${m.detail}` : ''}`}>
            <button
              type="button"
              className="slider-mark"
              style={{ left: `${((m.t - opened.start) / span) * 100}%` }}
              onClick={() => onChange(m.t)}
              aria-label={`Go to mark: ${m.label}`}
            >
              <Flag size={12} />
            </button>
          </Tooltip>
        ))}
      </div>
      <Slider
        ref={slider}
        min={opened.start}
        max={opened.start + span}
        step={1}
        value={[at]}
        onValueChange={([v]) => v !== undefined && onChange(v)}
        aria-label="Moment of the recording"
      />
      <Flex align="center" gap="2" wrap="wrap">
        <IconButton size="1" variant="soft" color="gray" onClick={() => onChange(opened.start)} aria-label="Start of the recording">
          <ChevronsLeft size={14} />
        </IconButton>
        <Button size="1" variant="soft" color="gray" disabled={previous === undefined} onClick={() => previous !== undefined && onChange(previous)} data-testid="moment-previous">
          <ChevronLeft size={14} /> Previous change
        </Button>
        <Button size="1" variant="soft" color="gray" disabled={next === undefined} onClick={() => next !== undefined && onChange(next)} data-testid="moment-next">
          Next change <ChevronRight size={14} />
        </Button>
        <IconButton size="1" variant="soft" color="gray" onClick={() => onChange(opened.end)} aria-label="End of the recording">
          <ChevronsRight size={14} />
        </IconButton>
        <Text size="2" weight="medium" ml="2" data-testid="replay-time">
          {clockTime(at)}
        </Text>
        <TextField.Root
          size="1"
          style={{ width: 120 }}
          value={typed ?? offsetText(opened, at)}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && go()}
          onBlur={() => typed !== null && go()}
          aria-label="Seconds from the start"
          data-testid="replay-offset"
        />
        <Text size="1" color="gray">
          of {((opened.end - opened.start) / 1000).toFixed(1)} s · {opened.moments.length} changes
        </Text>
      </Flex>
    </Flex>
  );
}
