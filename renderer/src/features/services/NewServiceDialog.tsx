import { Button, Dialog, Flex, Grid, Select, Text, TextArea, TextField } from '@radix-ui/themes';
import { ServiceSpecSchema, type ServiceSpecInput } from '@shared/services/schemas';
import { useMutation } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context';
import { parseEnv } from '../run/RunDialog';
import { ErrorCallout } from '../../components/ErrorCallout';

interface Form {
  id: string;
  image: string;
  command: string;
  instances: string;
  cpus: string;
  mem: string;
  env: string;
  network: 'BRIDGE' | 'HOST';
  /** Container ports (BRIDGE) or how many host ports (HOST), comma-separated. */
  ports: string;
  check: 'none' | 'HTTP' | 'TCP' | 'COMMAND';
  checkPath: string;
  checkCommand: string;
  grace: string;
  interval: string;
  failures: string;
}

const INITIAL: Form = {
  id: 'web',
  image: '',
  command: '',
  instances: '1',
  cpus: '0.1',
  mem: '64',
  env: '',
  network: 'BRIDGE',
  ports: '80',
  check: 'none',
  checkPath: '/',
  checkCommand: '',
  grace: '10',
  interval: '5',
  failures: '3',
};

/** The seed demo: two Redis instances, one port each, checked over TCP. */
export const REDIS_DEMO: Form = {
  ...INITIAL,
  id: 'redis',
  image: 'redis:7',
  instances: '2',
  mem: '128',
  ports: '6379',
  check: 'TCP',
  grace: '10',
  interval: '2',
};

/** The form as a service definition, validated as the host will validate it. */
export function toSpec(f: Form): { spec: ServiceSpecInput } | { error: string } {
  const env = parseEnv(f.env);
  if ('error' in env) return env;
  const words = f.ports.split(',').map((p) => p.trim()).filter(Boolean);
  if (words.some((w) => !/^\d+$/.test(w))) return { error: 'ports: whole numbers, comma-separated' };
  const ports = f.network === 'BRIDGE' ? words.map((w) => ({ containerPort: Number(w) })) : Array.from({ length: Number(words[0] ?? 0) }, () => ({}));
  const spec: ServiceSpecInput = {
    id: f.id.trim(),
    image: f.image.trim() || undefined,
    command: f.command,
    instances: Number(f.instances),
    cpus: Number(f.cpus),
    mem: Number(f.mem),
    env: env.env,
    network: f.network,
    ports,
    ...(f.check === 'none'
      ? {}
      : {
          healthCheck: {
            type: f.check,
            ...(f.check === 'HTTP' ? { path: f.checkPath } : {}),
            ...(f.check === 'COMMAND' ? { command: f.checkCommand } : {}),
            gracePeriodSecs: Number(f.grace),
            intervalSecs: Number(f.interval),
            consecutiveFailures: Number(f.failures),
          },
        }),
  };
  const parsed = ServiceSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `${issue?.path.join('.') || 'service'}: ${issue?.message ?? 'invalid'}` };
  }
  return { spec };
}

export function NewServiceButton({ cluster }: { cluster: string }) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<Form>(INITIAL);
  const create = useMutation({ mutationFn: (spec: ServiceSpecInput) => client.call('services.create', { cluster, spec }) });
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const result = toSpec(form);
  const submit = () => {
    if ('spec' in result) create.mutate(result.spec, { onSuccess: () => setOpen(false) });
  };
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) create.reset();
      }}
    >
      <Dialog.Trigger>
        <Button data-testid="new-service">
          <Plus size={14} /> New service
        </Button>
      </Dialog.Trigger>
      <Dialog.Content maxWidth="640px" aria-describedby={undefined}>
        <Flex justify="between" align="center" mb="3">
          <Dialog.Title mb="0">New service</Dialog.Title>
          <Button size="1" variant="soft" onClick={() => setForm(REDIS_DEMO)} data-testid="redis-demo">
            Redis demo
          </Button>
        </Flex>
        <Grid columns="2" gap="3">
          <Field label="Id">
            <TextField.Root aria-label="Service id" value={form.id} onChange={(e) => set('id', e.target.value)} />
          </Field>
          <Field label="Docker image (empty: a command on the agent)">
            <TextField.Root aria-label="Service image" value={form.image} onChange={(e) => set('image', e.target.value)} placeholder="redis:7" />
          </Field>
          <Field label="Command (/bin/sh -c; empty: the image's own)" wide>
            <TextArea aria-label="Service command" rows={2} value={form.command} onChange={(e) => set('command', e.target.value)} />
          </Field>
          <Grid columns="3" gap="2">
            <Field label="Instances">
              <TextField.Root aria-label="Service instances" value={form.instances} onChange={(e) => set('instances', e.target.value)} />
            </Field>
            <Field label="cpus">
              <TextField.Root aria-label="Service cpus" value={form.cpus} onChange={(e) => set('cpus', e.target.value)} />
            </Field>
            <Field label="mem (MB)">
              <TextField.Root aria-label="Service mem" value={form.mem} onChange={(e) => set('mem', e.target.value)} />
            </Field>
          </Grid>
          <Grid columns="2" gap="2">
            <Field label="Network">
              <Select.Root value={form.network} onValueChange={(v) => set('network', v as Form['network'])}>
                <Select.Trigger aria-label="Service network" />
                <Select.Content>
                  <Select.Item value="BRIDGE">BRIDGE (port mappings)</Select.Item>
                  <Select.Item value="HOST">HOST ($PORT0…)</Select.Item>
                </Select.Content>
              </Select.Root>
            </Field>
            <Field label={form.network === 'BRIDGE' ? 'Container ports' : 'How many ports'}>
              <TextField.Root aria-label="Service ports" value={form.ports} onChange={(e) => set('ports', e.target.value)} placeholder={form.network === 'BRIDGE' ? '6379, 8080' : '1'} />
            </Field>
          </Grid>
          <Field label="Environment (NAME=value per line)" wide>
            <TextArea aria-label="Service environment" rows={2} value={form.env} onChange={(e) => set('env', e.target.value)} />
          </Field>
          <Field label="Health check (Mesos-native, on port 0)">
            <Select.Root value={form.check} onValueChange={(v) => set('check', v as Form['check'])}>
              <Select.Trigger aria-label="Health check" />
              <Select.Content>
                <Select.Item value="none">none</Select.Item>
                <Select.Item value="HTTP">HTTP</Select.Item>
                <Select.Item value="TCP">TCP</Select.Item>
                <Select.Item value="COMMAND">COMMAND</Select.Item>
              </Select.Content>
            </Select.Root>
          </Field>
          {form.check === 'HTTP' && (
            <Field label="Path">
              <TextField.Root aria-label="Health check path" value={form.checkPath} onChange={(e) => set('checkPath', e.target.value)} />
            </Field>
          )}
          {form.check === 'COMMAND' && (
            <Field label="Command (in the container)">
              <TextField.Root aria-label="Health check command" value={form.checkCommand} onChange={(e) => set('checkCommand', e.target.value)} />
            </Field>
          )}
          {form.check !== 'none' && (
            <Grid columns="3" gap="2" style={{ gridColumn: '1 / -1' }}>
              <Field label="Grace (s)">
                <TextField.Root aria-label="Health check grace" value={form.grace} onChange={(e) => set('grace', e.target.value)} />
              </Field>
              <Field label="Interval (s)">
                <TextField.Root aria-label="Health check interval" value={form.interval} onChange={(e) => set('interval', e.target.value)} />
              </Field>
              <Field label="Failures before kill">
                <TextField.Root aria-label="Health check failures" value={form.failures} onChange={(e) => set('failures', e.target.value)} />
              </Field>
            </Grid>
          )}
        </Grid>
        {('error' in result || create.error) && (
          <ErrorCallout mt="3">{'error' in result ? result.error : create.error?.message}</ErrorCallout>
        )}
        <Flex gap="3" mt="4" justify="end">
          <Dialog.Close>
            <Button variant="soft" color="gray">
              Cancel
            </Button>
          </Dialog.Close>
          <Button onClick={submit} disabled={'error' in result} loading={create.isPending} data-testid="create-service">
            Create
          </Button>
        </Flex>
      </Dialog.Content>
    </Dialog.Root>
  );
}

function Field({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <Flex direction="column" gap="1" style={wide ? { gridColumn: '1 / -1' } : undefined}>
      <Text size="1" weight="medium" color="gray">
        {label}
      </Text>
      {children}
    </Flex>
  );
}
