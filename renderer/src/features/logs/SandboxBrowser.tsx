import { Badge, Button, Card, Code, Flex, IconButton, Text, Tooltip } from '@radix-ui/themes';
import type { SandboxEntry } from '@shared/logs/schema';
import { useQuery } from '@tanstack/react-query';
import { ChevronDown, ChevronRight, Download, FileText, Folder } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { openLogs, type LogView } from './log-target';
import { useDownload } from './use-download';
import { WarningCallout } from '../../components/ErrorCallout';

/** A task's sandbox as its agent has it (/files/browse): folders open in place, files open in the viewer. */
export function SandboxBrowser({ view }: { view: Extract<LogView, { kind: 'sandbox' }> }) {
  const client = useClient();
  const { cluster, taskId, frameworkId, agentId } = view;
  const sandbox = useQuery({
    queryKey: ['logs.sandbox', cluster, frameworkId, taskId, agentId],
    queryFn: () => client.call('logs.sandbox', { cluster, taskId, frameworkId, agentId }),
    staleTime: 5000,
  });
  if (sandbox.error) return <Problem message={sandbox.error.message} />;
  if (!sandbox.data) return <Text color="gray">Finding the sandbox…</Text>;
  const { directory, running, containerId } = sandbox.data;
  return (
    <Card size="2" data-testid="sandbox-browser">
      <Flex direction="column" gap="2">
        <Flex gap="2" align="center" wrap="wrap">
          <Text size="2" weight="bold">
            Sandbox of {taskId}
          </Text>
          <Badge color={running ? 'green' : 'gray'}>{running ? 'running' : 'ended'}</Badge>
          {containerId && (
            <Text size="1" color="gray">
              container <Code variant="ghost">{containerId}</Code>
            </Text>
          )}
        </Flex>
        <Text size="1" color="gray" className="sandbox-path">
          {directory}
        </Text>
        <div className="sandbox-table" role="tree" aria-label="Sandbox files">
          <div className="sandbox-row sandbox-head">
            <span>Name</span>
            <span>Size</span>
            <span>Modified</span>
            <span />
          </div>
          <Directory cluster={cluster} agentId={sandbox.data.agentId} path={directory} depth={0} back={view} />
        </div>
      </Flex>
    </Card>
  );
}

function Directory({ cluster, agentId, path, depth, back }: { cluster: string; agentId: string; path: string; depth: number; back: LogView }) {
  const client = useClient();
  const entries = useQuery({
    queryKey: ['logs.browse', cluster, agentId, path],
    queryFn: () => client.call('logs.browse', { cluster, agentId, path }),
    staleTime: 2000,
  });
  if (entries.error) return <Problem message={entries.error.message} />;
  if (!entries.data) return null;
  if (entries.data.length === 0 && depth > 0) {
    return (
      <Text size="1" color="gray" className="sandbox-row" style={{ paddingLeft: 24 + depth * 16 }}>
        (empty)
      </Text>
    );
  }
  return (
    <>
      {entries.data.map((entry) => (
        <Entry key={entry.path} cluster={cluster} agentId={agentId} entry={entry} depth={depth} back={back} />
      ))}
    </>
  );
}

function Entry({ cluster, agentId, entry, depth, back }: { cluster: string; agentId: string; entry: SandboxEntry; depth: number; back: LogView }) {
  const [open, setOpen] = useState(false);
  const download = useDownload();
  const indent = { paddingLeft: 8 + depth * 16 };
  if (entry.directory) {
    return (
      <>
        <button type="button" className="sandbox-row sandbox-entry" role="treeitem" aria-expanded={open} onClick={() => setOpen(!open)} data-testid={`sandbox-entry-${entry.name}`}>
          <span style={indent} className="sandbox-name">
            {open ? <ChevronDown size={14} /> : <ChevronRight size={14} />}
            <Folder size={14} /> {entry.name}
          </span>
          <span />
          <Text size="1" color="gray">
            {when(entry.mtime)}
          </Text>
          <span />
        </button>
        {open && <Directory cluster={cluster} agentId={agentId} path={entry.path} depth={depth + 1} back={back} />}
      </>
    );
  }
  return (
    <div className="sandbox-row sandbox-entry" role="treeitem" data-testid={`sandbox-entry-${entry.name}`}>
      <span style={indent} className="sandbox-name">
        <span style={{ width: 14 }} />
        <FileText size={14} />
        <Button
          variant="ghost"
          size="1"
          onClick={() => openLogs({ kind: 'source', source: { kind: 'sandbox', cluster, agentId, path: entry.path }, back })}
          data-testid={`sandbox-open-${entry.name}`}
        >
          {entry.name}
        </Button>
      </span>
      <Text size="1" data-testid="sandbox-size">
        {bytes(entry.size)}
      </Text>
      <Text size="1" color="gray">
        {when(entry.mtime)}
      </Text>
      <Flex justify="end">
        <Tooltip content={download.error ? download.error.message : `Download ${entry.name}`}>
          <IconButton
            size="1"
            variant="ghost"
            color={download.error ? 'red' : 'gray'}
            aria-label={`Download ${entry.name}`}
            loading={download.isPending}
            onClick={() => download.mutate({ cluster, agentId, path: entry.path })}
            data-testid={`sandbox-download-${entry.name}`}
          >
            <Download size={14} />
          </IconButton>
        </Tooltip>
      </Flex>
    </div>
  );
}

function Problem({ message }: { message: string }) {
  return (
    <WarningCallout size="1" role="alert">
      {message}
    </WarningCallout>
  );
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

function when(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}
