import { Badge, Button, Callout, Checkbox, Dialog, Flex, Grid, SegmentedControl, Select, Switch, Text, TextArea, TextField } from '@radix-ui/themes';
import type { Launched, RunsView } from '@shared/runs/schemas';
import type { ClusterView } from '@shared/dashboard/view';
import { FAULT_AGENT_ATTRIBUTE } from '@shared/faults/catalog';
import type { ApiError } from '@shared/errors';
import { useMutation, useQuery } from '@tanstack/react-query';
import { CircleAlert, Play } from 'lucide-react';
import { useContext, useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context';
import { LiveViewContext } from '../dashboard/source';
import { OfferDecisions } from './OfferDecisions';
import { RunFunnel } from './RunFunnel';
import { useRuns } from './use-runs';

const ANY = 'any';

interface Form {
  name: string;
  image: string;
  entrypoint: 'shell' | 'image';
  command: string;
  cpus: string;
  mem: string;
  instances: string;
  env: string;
  agent: string;
  killAfter: string;
  uris: string;
  artifacts: string[];
  checkpoint: boolean;
  partitionAware: boolean;
}

const INITIAL: Form = {
  name: 'hello',
  image: '',
  entrypoint: 'shell',
  command: 'echo hello from Mesos; sleep 30',
  cpus: '0.1',
  mem: '32',
  instances: '1',
  env: '',
  agent: ANY,
  killAfter: '',
  uris: '',
  artifacts: [],
  checkpoint: true,
  partitionAware: false,
};

/** `KEY=value` lines as an object; the first bad line is reported. */
export function parseEnv(text: string): { env: Record<string, string> } | { error: string } {
  const env: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { error: `environment, line ${i + 1}: expected NAME=value, got "${line}"` };
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return { env };
}

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

/** Run tasks with the built-in framework: what, where, how many; then what became of each offer. */
export function RunDialog({ cluster, view, open, onOpenChange }: { cluster: string; view: ClusterView | null; open: boolean; onOpenChange: (open: boolean) => void }) {
  const client = useClient();
  const runs = useRuns(cluster);
  const [form, setForm] = useState<Form>(INITIAL);
  const [localError, setLocalError] = useState<string | null>(null);
  const [since, setSince] = useState(0);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const artifacts = useQuery({ queryKey: ['artifacts', cluster], queryFn: () => client.call('artifacts.get', { cluster }), enabled: open });
  const launch = useMutation<Launched, ApiError, Record<string, string>>({
    mutationFn: (env) => {
      const uris = [
        ...form.artifacts.map((url) => ({ value: url, executable: true })),
        ...form.uris
          .split('\n')
          .map((u) => u.trim())
          .filter(Boolean)
          .map((value) => ({ value })),
      ];
      setSince(Date.now());
      return client.call('runs.launch', {
        cluster,
        name: form.name,
        image: form.image.trim() || undefined,
        entrypoint: form.image.trim() ? form.entrypoint : 'shell',
        command: form.command,
        cpus: num(form.cpus),
        mem: num(form.mem),
        instances: num(form.instances),
        env,
        agentId: form.agent === ANY ? undefined : form.agent,
        killAfterSecs: num(form.killAfter),
        uris,
        framework: { checkpoint: form.checkpoint, partitionAware: form.partitionAware },
      });
    },
    onMutate: () => setLocalError(null),
  });

  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) launch.reset();
  };
  const agents = Object.values(view?.agents ?? {}).sort((a, b) => (a.port ?? 0) - (b.port ?? 0));
  const done = launch.data;
  const offers = done ? runs.offers.filter((o) => o.frameworkId === done.frameworkId && o.at >= since - 1000) : [];
  const error = localError ?? launch.error?.message;
  // The run this dialog launched, while it waits for offers (the funnel says why it is not launching).
  const waiting = launch.isPending ? runs.pending.find((p) => p.since >= since - 1000 && p.name === form.name.trim()) : undefined;
  // Kept after a refusal: the funnel says why no offer held it.
  const [lastWaiting, setLastWaiting] = useState<RunsView['pending'][number] | undefined>(undefined);
  if (waiting && waiting !== lastWaiting) setLastWaiting(waiting);
  if (launch.isIdle && lastWaiting) setLastWaiting(undefined);
  const funnelOf = waiting ?? (launch.isError ? lastWaiting : undefined);

  return (
    <Dialog.Root open={open} onOpenChange={close}>
      <Dialog.Content maxWidth="760px" aria-describedby={undefined} data-testid="run-dialog">
        <Dialog.Title>{done ? `Launched ${done.tasks.length} task${done.tasks.length === 1 ? '' : 's'}` : `Run a task on ${cluster}`}</Dialog.Title>
        {done ? (
          <Flex direction="column" gap="3" data-testid="run-result">
            <Text size="2">
              Framework <b>mesoscope</b> ({done.frameworkId}) launched{' '}
              {done.tasks.map((t) => (
                <Badge key={t.taskId} color="green" mr="1">
                  {t.taskId}
                </Badge>
              ))}{' '}
              on the first offers that held them. Follow them in the Tasks tab.
            </Text>
            <OfferDecisions decisions={offers} view={view} title="What became of each offer" />
            <Flex gap="3" justify="end">
              <Button variant="soft" onClick={() => launch.reset()}>
                Run another
              </Button>
              <Dialog.Close>
                <Button>Close</Button>
              </Dialog.Close>
            </Flex>
          </Flex>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const env = parseEnv(form.env);
              if ('error' in env) return setLocalError(env.error);
              launch.mutate(env.env);
            }}
          >
            <Flex direction="column" gap="3">
              <Grid columns="2" gap="3">
                <Field label="Name">
                  <TextField.Root value={form.name} aria-label="Task name" onChange={(e) => set('name', e.target.value)} />
                </Field>
                <Field label="Docker image (empty: a plain command)">
                  <TextField.Root value={form.image} aria-label="Docker image" placeholder="busybox:1.36" onChange={(e) => set('image', e.target.value)} />
                </Field>
              </Grid>
              {form.image.trim() && (
                <Flex align="center" gap="3">
                  <Text size="2" weight="medium">
                    Entrypoint
                  </Text>
                  <SegmentedControl.Root value={form.entrypoint} onValueChange={(v) => set('entrypoint', v as Form['entrypoint'])} size="1">
                    <SegmentedControl.Item value="shell">/bin/sh -c (replaces it)</SegmentedControl.Item>
                    <SegmentedControl.Item value="image">The image&apos;s</SegmentedControl.Item>
                  </SegmentedControl.Root>
                </Flex>
              )}
              <Field label={form.entrypoint === 'image' && form.image.trim() ? 'Arguments to the entrypoint, one per line' : 'Command'}>
                <TextArea rows={2} value={form.command} aria-label="Command" spellCheck={false} onChange={(e) => set('command', e.target.value)} />
              </Field>
              <Grid columns="4" gap="3">
                <Field label="cpus">
                  <TextField.Root value={form.cpus} aria-label="cpus" inputMode="decimal" onChange={(e) => set('cpus', e.target.value)} />
                </Field>
                <Field label="mem (MB)">
                  <TextField.Root value={form.mem} aria-label="mem" inputMode="numeric" onChange={(e) => set('mem', e.target.value)} />
                </Field>
                <Field label="Instances">
                  <TextField.Root value={form.instances} aria-label="Instances" inputMode="numeric" onChange={(e) => set('instances', e.target.value)} />
                </Field>
                <Field label="Kill after (s)">
                  <TextField.Root value={form.killAfter} aria-label="Kill after" placeholder="never" inputMode="numeric" onChange={(e) => set('killAfter', e.target.value)} />
                </Field>
              </Grid>
              <Grid columns="2" gap="3">
                <Field label="Environment (NAME=value per line)">
                  <TextArea rows={2} value={form.env} aria-label="Environment" spellCheck={false} onChange={(e) => set('env', e.target.value)} />
                </Field>
                <Field label="Agent">
                  <Select.Root value={form.agent} onValueChange={(v) => set('agent', v)}>
                    <Select.Trigger aria-label="Agent" />
                    <Select.Content>
                      <Select.Item value={ANY}>Any: the first offer that holds it</Select.Item>
                      {agents.map((a) => (
                        <Select.Item key={a.id} value={a.id}>
                          {a.hostname}:{a.port}
                          {a.attributes[FAULT_AGENT_ATTRIBUTE] ? ` (added by fault ${a.attributes[FAULT_AGENT_ATTRIBUTE]})` : ''}
                        </Select.Item>
                      ))}
                    </Select.Content>
                  </Select.Root>
                </Field>
              </Grid>
              <Field label="Fetch into the sandbox (URIs, one per line)">
                <TextArea rows={1} value={form.uris} aria-label="URIs" placeholder="http://…/run.sh" spellCheck={false} onChange={(e) => set('uris', e.target.value)} />
              </Field>
              {(artifacts.data?.files.length ?? 0) > 0 && (
                <Flex direction="column" gap="1">
                  <Text size="1" color="gray">
                    Files the artifact server serves (fetched as executables)
                  </Text>
                  {artifacts.data?.files.map((f) => (
                    <Text as="label" size="2" key={f.id}>
                      <Flex gap="2" align="center">
                        <Checkbox
                          checked={form.artifacts.includes(f.url)}
                          onCheckedChange={(c) => set('artifacts', c ? [...form.artifacts, f.url] : form.artifacts.filter((u) => u !== f.url))}
                        />
                        {f.name} <Text color="gray">{f.url}</Text>
                      </Flex>
                    </Text>
                  ))}
                </Flex>
              )}
              <Flex gap="5" wrap="wrap">
                <Text as="label" size="2">
                  <Flex gap="2" align="center">
                    <Switch checked={form.checkpoint} onCheckedChange={(v) => set('checkpoint', v)} aria-label="Checkpoint" />
                    Checkpoint (tasks survive an agent restart)
                  </Flex>
                </Text>
                <Text as="label" size="2">
                  <Flex gap="2" align="center">
                    <Switch checked={form.partitionAware} onCheckedChange={(v) => set('partitionAware', v)} aria-label="Partition-aware" />
                    Partition-aware (UNREACHABLE / DROPPED / GONE instead of LOST)
                  </Flex>
                </Text>
              </Flex>
              {funnelOf && <RunFunnel cluster={cluster} view={view} runs={runs} pending={funnelOf} />}
              {error && (
                <Callout.Root color="red" size="1" role="alert" data-testid="run-error">
                  <Callout.Icon>
                    <CircleAlert size={16} />
                  </Callout.Icon>
                  <Callout.Text>{error}</Callout.Text>
                </Callout.Root>
              )}
              <Flex gap="3" justify="end">
                <Dialog.Close>
                  <Button variant="soft" color="gray" type="button">
                    Cancel
                  </Button>
                </Dialog.Close>
                <Button type="submit" loading={launch.isPending} data-testid="run-submit">
                  <Play size={14} /> Run
                </Button>
              </Flex>
            </Flex>
          </form>
        )}
      </Dialog.Content>
    </Dialog.Root>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label>
      <Text as="div" size="1" weight="medium" color="gray" mb="1">
        {label}
      </Text>
      {children}
    </label>
  );
}

/** The header button that opens the dialog. */
/** Run task, and its dialog with the page's live view (LiveViewContext). */
export function RunTaskButton({ cluster }: { cluster: string }) {
  const [open, setOpen] = useState(false);
  const view = useContext(LiveViewContext);
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="run-task">
        <Play size={14} /> Run task
      </Button>
      <RunDialog cluster={cluster} view={view} open={open} onOpenChange={setOpen} />
    </>
  );
}
