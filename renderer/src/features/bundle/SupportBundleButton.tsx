import { Button, Callout, Dialog, Flex, Progress, Text } from '@radix-ui/themes';
import type { BundleProgress } from '@shared/bundle/schema';
import { useMutation } from '@tanstack/react-query';
import { CircleAlert, Download, FolderOpen, LifeBuoy } from 'lucide-react';
import { useRef, useState } from 'react';
import { deliverDownload } from '../../api/deliver-download';
import { useClient } from '../../api/client-context';
import { openBundle } from '../recordings/use-recordings';

type Done = Extract<BundleProgress, { kind: 'done' }>;

/**
 * On a cluster's page: write a support bundle (everything about the cluster in one .tar.gz), showing
 * each part as it is written and what could not be had; then download it, or open it read-only.
 */
export function SupportBundleButton({ cluster }: { cluster: string }) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<Extract<BundleProgress, { kind: 'progress' }> | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const stop = useRef<(() => void) | null>(null);

  const start = () => {
    setOpen(true);
    setProgress(null);
    setDone(null);
    setError(null);
    setRunning(true);
    stop.current = client.subscribe(
      'bundles.export',
      { cluster },
      (p) => {
        if (p.kind === 'progress') return setProgress(p);
        setDone(p);
        setRunning(false);
        stop.current?.();
        stop.current = null;
      },
      (err) => {
        setError(err.message);
        setRunning(false);
        stop.current = null;
      },
    );
  };
  const cancel = () => {
    stop.current?.();
    stop.current = null;
    setRunning(false);
    setError('Cancelled: no bundle was written.');
  };
  const download = useMutation({ mutationFn: async (path: string) => deliverDownload(await client.call('bundles.download', { path })) });
  const openIt = useMutation({ mutationFn: (path: string) => openBundle(client, path) });
  const failure = error ?? download.error?.message ?? openIt.error?.message;

  return (
    <>
      <Button variant="soft" color="gray" onClick={start} data-testid="bundle-export" title="Everything about this cluster in one .tar.gz, to send to whoever helps">
        <LifeBuoy size={14} /> Support bundle
      </Button>
      <Dialog.Root open={open} onOpenChange={(o) => {
          if (!o && running) cancel();
          setOpen(o);
        }}>
        <Dialog.Content maxWidth="560px" aria-describedby={undefined} data-testid="bundle-dialog">
          <Dialog.Title>Support bundle of {cluster}</Dialog.Title>
          <Flex direction="column" gap="3">
            {running && (
              <>
                <Text size="2">
                  Writing part {progress?.written ?? 0}: <code>{progress?.part ?? 'the spec'}</code>
                  {progress?.missing ? ` · ${progress.missing} could not be had` : ''}
                </Text>
                <Progress size="1" />
              </>
            )}
            {done && (
              <Flex direction="column" gap="2" data-testid="bundle-done">
                <Text size="2">
                  {done.parts} parts, {(done.bytes / 1024).toFixed(0)} KiB, in <code>{done.path}</code>.
                </Text>
                {done.missing.length > 0 && (
                  <Callout.Root color="amber" size="1">
                    <Callout.Text>
                      Listed in MISSING.txt: {done.missing.map((m) => `${m.path} (${m.why})`).join('; ')}
                    </Callout.Text>
                  </Callout.Root>
                )}
              </Flex>
            )}
            {failure && (
              <Callout.Root color="red" size="1" role="alert">
                <Callout.Icon>
                  <CircleAlert size={16} />
                </Callout.Icon>
                <Callout.Text>{failure}</Callout.Text>
              </Callout.Root>
            )}
            <Flex gap="3" justify="end">
              {running ? (
                <Button variant="soft" color="gray" onClick={cancel}>
                  Cancel
                </Button>
              ) : (
                <Dialog.Close>
                  <Button variant="soft" color="gray">
                    Close
                  </Button>
                </Dialog.Close>
              )}
              {done && (
                <>
                  <Button variant="soft" onClick={() => download.mutate(done.path)} loading={download.isPending} data-testid="bundle-download">
                    <Download size={14} /> Download
                  </Button>
                  <Button onClick={() => openIt.mutate(done.path)} loading={openIt.isPending} data-testid="bundle-open">
                    <FolderOpen size={14} /> Open read-only
                  </Button>
                </>
              )}
            </Flex>
          </Flex>
        </Dialog.Content>
      </Dialog.Root>
    </>
  );
}
