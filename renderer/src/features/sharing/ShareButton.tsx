import { Badge, Button, Dialog, Flex, Select, Text } from '@radix-ui/themes';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Radio, Users } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { CopyField } from '../../components/CopyField';
import { useSharing } from '../tours/use-tour';
import { QrCode } from './QrCode';
import { WATCHING } from './viewer';
import { ErrorCallout, WarningCallout } from '../../components/ErrorCallout';

/**
 * Share (the cluster page): a read-only view of this cluster for the audience, on an address the
 * presenter picks (loopback unless asked, a warning for a network address), its link and QR code, the
 * number of viewers, and Turn off, which closes their sockets.
 */
export function ShareButton({ cluster }: { cluster: string }) {
  const sharing = useSharing();
  const [open, setOpen] = useState(false);
  if (WATCHING) return null;
  const here = sharing.on && sharing.cluster === cluster;
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger>
        <Button variant="soft" color={here ? 'green' : 'gray'} data-testid="share-button">
          <Radio size={14} /> {here ? `Shared · ${sharing.viewers}` : 'Share'}
        </Button>
      </Dialog.Trigger>
      <Dialog.Content maxWidth="560px">
        <Dialog.Title>Share a read-only view</Dialog.Title>
        <Dialog.Description size="2" color="gray" mb="3">
          Viewers see this cluster's tabs live and follow your tour; every change they try is refused by this host.
        </Dialog.Description>
        <ShareForm cluster={cluster} />
        <Flex justify="end" mt="4">
          <Dialog.Close>
            <Button variant="soft" color="gray">
              Close
            </Button>
          </Dialog.Close>
        </Flex>
      </Dialog.Content>
    </Dialog.Root>
  );
}

function ShareForm({ cluster }: { cluster: string }) {
  const client = useClient();
  const sharing = useSharing();
  const { data: addresses } = useQuery({ queryKey: ['sharing.addresses'], queryFn: () => client.call('sharing.addresses', {}) });
  const [address, setAddress] = useState('127.0.0.1');
  const start = useMutation({ mutationFn: () => client.call('sharing.start', { cluster, address }) });
  const stop = useMutation({ mutationFn: () => client.call('sharing.stop', {}) });
  const chosen = addresses?.find((a) => a.address === address);
  const error = start.error ?? stop.error;
  return (
    <Flex direction="column" gap="3">
      {error && (
        <ErrorCallout>{error.message}</ErrorCallout>
      )}
      {sharing.on ? (
        <>
          <Flex align="center" gap="2">
            <Badge color="green" size="2">
              On{sharing.cluster !== cluster ? ` for ${sharing.cluster}` : ''}
            </Badge>
            <Badge color="gray" size="2" data-testid="share-viewers">
              <Users size={12} /> {sharing.viewers} viewer{sharing.viewers === 1 ? '' : 's'}
            </Badge>
            <Text size="1" color="gray">
              on {sharing.address}:{sharing.port}
            </Text>
          </Flex>
          {sharing.warning && (
            <WarningCallout size="1" data-testid="share-warning">
              {sharing.warning}
            </WarningCallout>
          )}
          {sharing.url && (
            <Flex gap="4" align="start">
              <QrCode value={sharing.url} />
              <div style={{ minWidth: 0, flex: 1 }} data-testid="share-link">
                <CopyField label="Viewer link" value={sharing.url} multiline />
              </div>
            </Flex>
          )}
          <Flex>
            <Button color="red" variant="soft" onClick={() => stop.mutate()} loading={stop.isPending} data-testid="share-stop">
              Turn off (disconnects every viewer)
            </Button>
          </Flex>
        </>
      ) : (
        <>
          <Flex direction="column" gap="1">
            <Text size="2" weight="medium">
              Listen on
            </Text>
            <Select.Root value={address} onValueChange={setAddress}>
              <Select.Trigger aria-label="Listen address" data-testid="share-address" />
              <Select.Content>
                {(addresses ?? [{ address: '127.0.0.1', label: 'This machine only (loopback)', loopback: true }]).map((a) => (
                  <Select.Item key={a.address} value={a.address}>
                    {a.label}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select.Root>
          </Flex>
          {chosen && !chosen.loopback && (
            <WarningCallout size="1">A network address: anyone on that network who gets the link can watch (not change) this cluster.</WarningCallout>
          )}
          <Flex>
            <Button onClick={() => start.mutate()} loading={start.isPending} data-testid="share-start">
              <Radio size={14} /> Turn on
            </Button>
          </Flex>
        </>
      )}
    </Flex>
  );
}
