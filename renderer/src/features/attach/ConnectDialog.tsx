import { Button, Callout, Dialog, Flex, SegmentedControl, Switch, Text, TextArea, TextField } from '@radix-ui/themes';
import type { AttachFailure, ConnectionInput } from '@shared/attach/connection';
import { ApiError } from '@shared/errors';
import { useMutation } from '@tanstack/react-query';
import { CircleAlert, ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { useUiStore } from '../../store/ui-store';

type AuthKind = 'none' | 'basic' | 'bearer';

/** Why a connection was refused, as the host said it (unauthorized, unreachable, not Mesos, TLS…). */
const failureOf = (err: unknown): AttachFailure | undefined => (err instanceof ApiError && err.code === 'refused' ? (err.detail as AttachFailure | undefined) : undefined);

const TITLES: Record<AttachFailure['reason'], string> = {
  unauthorized: 'Credentials refused',
  unreachable: 'Not reachable',
  'not-mesos': 'Not a Mesos master',
  tls: 'TLS mismatch',
  'name-taken': 'Name taken',
  'no-leader': 'No leading master',
};

/** `HOST=URL` a line (a bare URL: every agent); the host validates each and names the bad one. */
function dockerEntries(text: string): Array<{ agent: string; url: string }> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const eq = line.indexOf('=');
      return eq > 0 && !line.slice(0, eq).includes('://') ? { agent: line.slice(0, eq).trim(), url: line.slice(eq + 1).trim() } : { agent: '*', url: line };
    });
}

/**
 * Connect to a Mesos cluster Mesoscope did not start: master URLs (or one zk:// URL), HTTP basic
 * credentials or a bearer token, TLS with a CA file or a pinned certificate, writes off by default.
 * The host checks it before saving anything; a refusal says which of its causes it was, and a TLS
 * mismatch offers to trust the certificate the server presented.
 */
export function ConnectDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const client = useClient();
  const openCluster = useUiStore((s) => s.openCluster);
  const [name, setName] = useState('');
  const [masters, setMasters] = useState('');
  const [auth, setAuth] = useState<AuthKind>('none');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [caFile, setCaFile] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [writes, setWrites] = useState(false);
  const [dockerEndpoints, setDockerEndpoints] = useState('');
  /** Answers so far (for tests and the like: each attempt's end is visible on the form). */
  const [answers, setAnswers] = useState(0);

  const connect = useMutation({
    mutationFn: (connection: ConnectionInput) => client.call('attach.add', { connection }),
    onSettled: () => setAnswers((n) => n + 1),
    onSuccess: (attached) => {
      close(false);
      openCluster(attached.name);
    },
  });
  const build = (pin = fingerprint): ConnectionInput => ({
    name: name.trim(),
    masters: masters
      .split(/[\s,]+/)
      .map((m) => m.trim())
      .filter(Boolean),
    auth: auth === 'basic' ? { kind: 'basic', username, password } : auth === 'bearer' ? { kind: 'bearer', token } : { kind: 'none' },
    ...(caFile.trim() || pin.trim() ? { tls: { ...(caFile.trim() ? { caFile: caFile.trim() } : {}), ...(pin.trim() ? { fingerprint256: pin.trim() } : {}) } } : {}),
    writes,
    ...(dockerEndpoints.trim() ? { dockerEndpoints: dockerEntries(dockerEndpoints) } : {}),
  });
  function close(next: boolean) {
    if (!next && connect.isPending) return;
    onOpenChange(next);
    if (!next) {
      connect.reset();
      setPassword('');
      setToken('');
    }
  }
  const failure = failureOf(connect.error);
  const canSubmit = name.trim() !== '' && masters.trim() !== '' && (auth !== 'basic' || username !== '') && (auth !== 'bearer' || token !== '');

  return (
    <Dialog.Root open={open} onOpenChange={close}>
      <Dialog.Content maxWidth="620px" aria-describedby="connect-description" data-testid="connect-dialog">
        <Dialog.Title>Connect to a Mesos cluster</Dialog.Title>
        <Dialog.Description id="connect-description" size="2" color="gray" mb="4">
          A cluster Mesoscope did not start: its dashboard, logs and doctor, read-only unless you turn writes on. It is checked before it is saved.
        </Dialog.Description>
        <form
          data-answers={answers}
          onSubmit={(e) => {
            e.preventDefault();
            if (canSubmit) connect.mutate(build());
          }}
        >
          <Flex direction="column" gap="3">
            <label>
              <Text as="div" size="2" weight="medium" mb="1">
                Name
              </Text>
              <TextField.Root value={name} onChange={(e) => setName(e.target.value)} placeholder="prod" aria-label="Name" autoFocus />
            </label>
            <label>
              <Text as="div" size="2" weight="medium" mb="1">
                Masters
              </Text>
              <TextArea
                value={masters}
                onChange={(e) => setMasters(e.target.value)}
                placeholder={'http://master1:5050\nhttp://master2:5050\n— or one zk://zk1:2181,zk2:2181/mesos'}
                aria-label="Masters"
                rows={3}
              />
              <Text as="div" size="1" color="gray" mt="1">
                One URL a line: any master will do (a standby names the leader), or a zk:// URL to find it in ZooKeeper.
              </Text>
            </label>
            <div>
              <Text as="div" size="2" weight="medium" mb="1">
                HTTP authentication
              </Text>
              <SegmentedControl.Root value={auth} onValueChange={(v) => setAuth(v as AuthKind)} aria-label="HTTP authentication">
                <SegmentedControl.Item value="none">None</SegmentedControl.Item>
                <SegmentedControl.Item value="basic">User and password</SegmentedControl.Item>
                <SegmentedControl.Item value="bearer">Bearer token</SegmentedControl.Item>
              </SegmentedControl.Root>
            </div>
            {auth === 'basic' && (
              <Flex gap="3">
                <TextField.Root style={{ flex: 1 }} value={username} onChange={(e) => setUsername(e.target.value)} placeholder="principal" aria-label="User" autoComplete="username" />
                <TextField.Root
                  className="grow"
                  type="password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  placeholder="secret"
                  aria-label="Password"
                  autoComplete="current-password"
                />
              </Flex>
            )}
            {auth === 'bearer' && <TextField.Root type="password" value={token} onChange={(e) => setToken(e.target.value)} placeholder="token" aria-label="Token" />}
            <details>
              <summary>
                <Text size="2" weight="medium">
                  TLS (https masters)
                </Text>
              </summary>
              <Flex direction="column" gap="2" mt="2">
                <TextField.Root value={caFile} onChange={(e) => setCaFile(e.target.value)} placeholder="/path/to/ca.pem (a CA file on the host)" aria-label="CA file" />
                <TextField.Root value={fingerprint} onChange={(e) => setFingerprint(e.target.value)} placeholder="SHA-256 fingerprint to trust this one certificate" aria-label="Certificate fingerprint" />
              </Flex>
            </details>
            <details>
              <summary>
                <Text size="2" weight="medium">
                  Docker endpoints (optional: the doctor&apos;s Docker evidence)
                </Text>
              </summary>
              <TextArea
                mt="2"
                value={dockerEndpoints}
                onChange={(e) => setDockerEndpoints(e.target.value)}
                placeholder={'*=unix:///var/run/docker.sock\nagent-7.lab=ssh://ops@agent-7.lab\nagent-8.lab=tcp://agent-8.lab:2375'}
                aria-label="Docker endpoints"
                rows={3}
              />
              <Text as="div" size="1" color="gray" mt="1">
                One a line: an agent&apos;s hostname as Mesos reports it (or * for every agent) = its Docker daemon: unix://, tcp:// or ssh://user@host (your ssh agent or key; nothing is
                stored). With it the doctor sees its task containers&apos; exit codes and OOM kills.
              </Text>
            </details>
            <Text as="label" size="2">
              <Flex gap="2" align="center">
                <Switch checked={writes} onCheckedChange={setWrites} aria-label="Allow writes" /> Allow writes (Run, Kill) — off: read-only
              </Flex>
            </Text>
            {connect.error && (
              <Callout.Root color="red" role="alert" data-testid="connect-error" data-reason={failure?.reason}>
                <Callout.Icon>
                  <CircleAlert size={16} />
                </Callout.Icon>
                <Callout.Text>
                  <strong>{failure ? TITLES[failure.reason] : 'Not connected'}.</strong> {connect.error.message}
                </Callout.Text>
              </Callout.Root>
            )}
            {failure?.reason === 'tls' && failure.fingerprint256 && (
              <Callout.Root color="amber">
                <Callout.Icon>
                  <ShieldCheck size={16} />
                </Callout.Icon>
                <Callout.Text>
                  The server presented the certificate <code style={{ wordBreak: 'break-all' }}>{failure.fingerprint256}</code>. Trust it only if you know it is your cluster&apos;s.{' '}
                  <Button
                    size="1"
                    variant="soft"
                    type="button"
                    onClick={() => {
                      setFingerprint(failure.fingerprint256 ?? '');
                      connect.mutate(build(failure.fingerprint256));
                    }}
                  >
                    Trust this certificate
                  </Button>
                </Callout.Text>
              </Callout.Root>
            )}
            <Flex gap="3" justify="end" mt="2">
              <Button type="button" variant="soft" color="gray" onClick={() => close(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!canSubmit} loading={connect.isPending}>
                Connect
              </Button>
            </Flex>
          </Flex>
        </form>
      </Dialog.Content>
    </Dialog.Root>
  );
}
