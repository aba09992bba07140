import { Button, Callout, Dialog, Flex, RadioCards, Text, TextArea, TextField } from '@radix-ui/themes';
import { PRESETS } from '@shared/cluster/presets';
import { reviewSpec } from '@shared/cluster/spec-review';
import { parseSpecText } from '@shared/cluster/spec-text';
import { type ApiError } from '@shared/errors';
import { useMutation, useQuery } from '@tanstack/react-query';
import { CircleAlert, Upload } from 'lucide-react';
import { useMemo, useState } from 'react';
import { parse, stringify } from 'yaml';
import { useClient } from '../../api/client-context';
import { useUiStore } from '../../store/ui-store';
import { useLaunchStore } from './launch-store';
import { LaunchProgressView } from './LaunchProgressView';
import { pickSpecFile } from './spec-file';
import { SpecReview } from './SpecReview';
import { ErrorCallout } from '../../components/ErrorCallout';

const specText = (name: string, presetId: string) => {
  const preset = PRESETS.find((p) => p.id === presetId) ?? PRESETS[0];
  return stringify({ name, ...preset?.spec });
};

/** Presets, or a spec of your own in YAML or JSON, validated as you type; then the launch, node by node. */
export function NewClusterDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const client = useClient();
  const openCluster = useUiStore((s) => s.openCluster);
  const clearProgress = useLaunchStore((s) => s.clear);
  const [name, setName] = useState('demo');
  const [presetId, setPresetId] = useState(PRESETS[0]?.id ?? '');
  const [edited, setEdited] = useState<string | null>(null);
  const text = edited ?? specText(name, presetId);
  const validation = useMemo(() => parseSpecText(text), [text]);
  // Settings' images count as defaults: a preset that names none is not held for review.
  const { data: settings } = useQuery({ queryKey: ['settings'], queryFn: () => client.call('settings.get', {}) });
  const review = useMemo(
    () => (validation.ok ? reviewSpec(validation.spec, { defaultImages: settings?.settings.defaultImages }) : []),
    [validation, settings],
  );
  /** The review is on screen: the spec (imported, pasted or edited) asks for more than the defaults. */
  const [reviewing, setReviewing] = useState(false);

  const launchingName = validation.ok ? validation.spec.name : name;
  const launch = useMutation({
    // Rows of an earlier launch of the same name (or of Resume / Add agent) must not show as this one's.
    onMutate: () => clearProgress(launchingName),
    mutationFn: (spec: unknown) => client.call('clusters.create', { spec }),
  });

  const reset = () => {
    launch.reset();
    setReviewing(false);
    setEdited(null);
    clearProgress(launchingName);
  };
  const close = (next: boolean) => {
    if (!next && launch.isPending) return; // the launch keeps going; closing would hide its progress
    onOpenChange(next);
    if (!next) reset();
  };

  const started = launch.isPending || launch.isSuccess || launch.isError;
  return (
    <Dialog.Root open={open} onOpenChange={close}>
      <Dialog.Content maxWidth="760px" aria-describedby={undefined}>
        <Dialog.Title>{started ? `Launching ${launchingName}` : reviewing ? `Review ${launchingName} before it runs` : 'New cluster'}</Dialog.Title>
        {!started && reviewing ? (
          <Flex direction="column" gap="4">
            <SpecReview items={review} />
            <Flex gap="3" justify="end">
              <Button variant="soft" color="gray" onClick={() => setReviewing(false)}>
                Back to the spec
              </Button>
              <Button
                color={review.some((i) => i.level === 'danger') ? 'red' : undefined}
                disabled={!validation.ok}
                onClick={() => validation.ok && launch.mutate(parse(text) as unknown)}
              >
                Launch as reviewed
              </Button>
            </Flex>
          </Flex>
        ) : !started ? (
          <Flex direction="column" gap="4">
            <label>
              <Text as="div" size="2" weight="medium" mb="1">
                Name
              </Text>
              <TextField.Root
                value={name}
                aria-label="Cluster name"
                onChange={(e) => {
                  setName(e.target.value);
                  setEdited(null);
                }}
              />
            </label>
            <RadioCards.Root value={presetId} columns="3" onValueChange={setPresetId}>
              {PRESETS.map((p) => (
                // A click on a preset, even the chosen one, puts its spec back in the editor.
                <RadioCards.Item key={p.id} value={p.id} onClick={() => setEdited(null)}>
                  <Flex direction="column" width="100%">
                    <Text weight="bold">{p.label}</Text>
                    <Text size="1" color="gray">
                      {p.description}
                    </Text>
                  </Flex>
                </RadioCards.Item>
              ))}
            </RadioCards.Root>
            <div>
              <Flex justify="between" align="end" mb="1">
                <Text as="div" size="2" weight="medium">
                  Spec (YAML or JSON; anything left out takes its default)
                </Text>
                <Button
                  size="1"
                  variant="ghost"
                  onClick={async () => {
                    const imported = await pickSpecFile();
                    if (imported !== null) setEdited(imported);
                  }}
                >
                  <Upload size={12} /> Import…
                </Button>
              </Flex>
              <TextArea
                className="spec-editor"
                rows={10}
                value={text}
                aria-label="Cluster spec"
                spellCheck={false}
                onChange={(e) => setEdited(e.target.value)}
                color={validation.ok ? undefined : 'red'}
              />
            </div>
            {!validation.ok && (
              <Callout.Root color="red" size="1" role="alert" data-testid="spec-issues">
                <Callout.Icon>
                  <CircleAlert size={16} />
                </Callout.Icon>
                <Callout.Text>
                  {validation.issues.map((i) => (
                    <span key={`${i.path}:${i.message}`} className="issue-line">
                      {i.path ? `${i.path}: ` : ''}
                      {i.message}
                    </span>
                  ))}
                </Callout.Text>
              </Callout.Root>
            )}
            <Flex gap="3" justify="end">
              <Dialog.Close>
                <Button variant="soft" color="gray">
                  Cancel
                </Button>
              </Dialog.Close>
              <Button
                disabled={!validation.ok}
                // Send the spec as written: the host applies defaults, with Settings' default images. A spec
                // that asks for more than the defaults (imported, pasted, edited) is shown for review first.
                onClick={() => {
                  if (!validation.ok) return;
                  if (review.length > 0) setReviewing(true);
                  else launch.mutate(parse(text) as unknown);
                }}
              >
                {review.length > 0 ? 'Review and launch…' : 'Launch'}
              </Button>
            </Flex>
          </Flex>
        ) : (
          <Flex direction="column" gap="4">
            <LaunchProgressView cluster={launchingName} />
            {launch.isError && (
              <ErrorCallout data-testid="launch-error" textClassName="launch-error-text">{launch.error.message}</ErrorCallout>
            )}
            <Flex gap="3" justify="end">
              {launch.isError && (launch.error as ApiError).code !== 'failed' && (
                <Button variant="soft" color="gray" onClick={reset}>
                  Back to the spec
                </Button>
              )}
              {(launch.isSuccess || (launch.isError && (launch.error as ApiError).code === 'failed')) && (
                <Button
                  onClick={() => {
                    close(false);
                    openCluster(launchingName);
                  }}
                >
                  Open {launchingName}
                </Button>
              )}
            </Flex>
          </Flex>
        )}
      </Dialog.Content>
    </Dialog.Root>
  );
}

