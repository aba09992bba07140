import { Badge, Button, Callout, Card, Flex, Text, TextField } from '@radix-ui/themes';
import type { RecordingFile } from '@shared/contract/doctor';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Download, Film, FolderOpen, Trash2, Upload } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { deliverDownload } from '../../api/deliver-download';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { ReplayView } from './ReplayView';
import { openBundle } from './use-recordings';
import { pickRecordingFile, uploadRecording } from './upload';
import { openRecording, RECORDINGS_KEY, useRecordings, useReplayStore } from './use-recordings';
import './recordings.css';
import { ErrorCallout } from '../../components/ErrorCallout';

/** Recordings: the files of the recordings folder and any other, opened for a read-only replay. */
export function RecordingsPage() {
  const opened = useReplayStore((s) => s.opened);
  return opened ? <ReplayView key={opened.id} opened={opened} /> : <RecordingsList />;
}

function RecordingsList() {
  const client = useClient();
  const queryClient = useQueryClient();
  const { data, error: listError } = useRecordings();
  const [path, setPath] = useState('');
  const open = useMutation({ mutationFn: (p: string) => openRecording(client, p) });
  const bringIn = useMutation({
    mutationFn: async () => {
      if (window.mesoscope) {
        const { path: chosen } = await client.call('recordings.choose', {});
        if (chosen) await openRecording(client, chosen);
        return;
      }
      const file = await pickRecordingFile();
      if (!file) return;
      const uploaded = await uploadRecording(client, file);
      if (file.name.endsWith('.tar.gz')) {
        // A support bundle: its recording is unpacked beside the others; the upload itself goes.
        await openBundle(client, uploaded).finally(() => client.call('recordings.remove', { path: uploaded }).catch(() => undefined));
      } else await openRecording(client, uploaded);
      void queryClient.invalidateQueries({ queryKey: RECORDINGS_KEY });
    },
  });
  const download = useMutation({
    mutationFn: async (p: string) => deliverDownload(await client.call('recordings.download', { path: p })),
  });
  const remove = useMutation({
    mutationFn: (p: string) => client.call('recordings.remove', { path: p }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: RECORDINGS_KEY }),
  });
  const error = open.error ?? bringIn.error ?? download.error ?? remove.error ?? listError;

  return (
    <div className="page">
      <PageHeader
        title="Recordings"
        description="A cluster's session in one file: open it on any machine and replay it read-only, at any moment, with what the doctor said then."
        actions={
          <Button onClick={() => bringIn.mutate()} loading={bringIn.isPending} data-testid="recording-open-file">
            {window.mesoscope ? <FolderOpen size={14} /> : <Upload size={14} />} Open a file…
          </Button>
        }
      />
      {error && (
        <ErrorCallout mb="4" data-testid="recordings-error" textClassName="launch-error-text">{error.message}</ErrorCallout>
      )}
      {data && data.active.length > 0 && (
        <Callout.Root color="red" variant="surface" mb="4">
          <Callout.Icon>
            <Film size={16} />
          </Callout.Icon>
          <Callout.Text>
            Recording now: {data.active.map((a) => `${a.cluster} (${a.entries} entries)`).join(', ')}. Stop it on the cluster&apos;s page.
          </Callout.Text>
        </Callout.Root>
      )}
      {data && data.files.length === 0 ? (
        <EmptyState icon={<Film size={28} />} title="No recordings yet">
          Press Record on a cluster&apos;s page; what happens until you stop is kept in {data.dir}. Or open a file someone sent you.
        </EmptyState>
      ) : (
        <Card size="1" mb="4" data-testid="recordings-list">
          {data?.files.map((f) => (
            <FileRow
              key={f.path}
              file={f}
              onOpen={() => open.mutate(f.path)}
              opening={open.isPending && open.variables === f.path}
              onDownload={() => download.mutate(f.path)}
              onRemove={() => remove.mutate(f.path)}
            />
          ))}
        </Card>
      )}
      <Flex gap="2" align="center" mt="2">
        <Text size="2" color="gray">
          A file on this machine:
        </Text>
        <TextField.Root size="1" style={{ flex: 1, maxWidth: 520 }} placeholder="/path/to/session.mesorec" value={path} onChange={(e) => setPath(e.target.value)} aria-label="Recording path" />
        <Button size="1" variant="soft" disabled={!path.trim()} onClick={() => open.mutate(path.trim())} loading={open.isPending && open.variables === path.trim()}>
          Open
        </Button>
      </Flex>
      {data && (
        <Text as="p" size="1" color="gray" mt="3">
          Folder: {data.dir}
        </Text>
      )}
    </div>
  );
}

function FileRow({
  file,
  onOpen,
  opening,
  onDownload,
  onRemove,
}: {
  file: RecordingFile;
  onOpen: () => void;
  opening: boolean;
  onDownload: () => void;
  onRemove: () => void;
}) {
  return (
    <div className="recording-row" data-testid={`recording-${file.name}`}>
      <Text size="2" weight="medium" truncate title={file.path}>
        {file.name}
      </Text>
      <Text size="2">{file.cluster ?? '—'}</Text>
      <Text size="1" color="gray">
        {file.startedAt ? new Date(file.startedAt).toLocaleString() : new Date(file.modifiedAt).toLocaleString()}
      </Text>
      <Text size="1" color="gray">
        {formatSize(file.size)}
      </Text>
      {file.problem ? (
        <Text size="1" color="red" title={file.problem} truncate>
          {file.problem}
        </Text>
      ) : (
        <Text size="1" color="gray">
          {file.active ? <Badge color="red">recording</Badge> : `Mesoscope ${file.appVersion} · format ${file.formatVersion}`}
        </Text>
      )}
      <Flex gap="2">
        <Button size="1" variant="soft" onClick={onOpen} loading={opening} disabled={file.problem !== undefined}>
          Open
        </Button>
        <Button size="1" variant="soft" color="gray" onClick={onDownload} aria-label={`Download ${file.name}`} data-testid="recording-download">
          <Download size={12} />
        </Button>
        {!file.active && (
          <ConfirmButton size="1" label={`Delete ${file.name}`} title={`Delete ${file.name}?`} description="The file is removed from the recordings folder." confirmLabel="Delete" onConfirm={onRemove}>
            <Trash2 size={12} />
          </ConfirmButton>
        )}
      </Flex>
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
