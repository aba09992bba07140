import { Badge, Button, Callout, Card, Checkbox, Flex, Progress, Select, Text, TextField } from '@radix-ui/themes';
import { DEFAULT_SEARCH_MB, type OutputGroup, type OutputMatch } from '@shared/search/schema';
import { scopeParams, type SearchScope } from '@shared/search/scope';
import { CircleAlert, Search, X } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { clockTime } from '../dashboard/describe';
import { useClusterView } from '../dashboard/use-cluster-view';
import { useServices } from '../services/use-services';
import { type LogView, useLogTarget } from './log-target';
import { useOutputSearch } from './output-search-store';

/**
 * Search the stdout and stderr of every task of a cluster at once: the last N MB of each file, with
 * progress and Cancel; the matches grouped by task, newest first, a line of context each side; a match
 * opens the log viewer at it.
 */
export function OutputSearch({ cluster }: { cluster: string }) {
  const client = useClient();
  const state = useOutputSearch((s) => s.byCluster[cluster]);
  const start = useOutputSearch((s) => s.start);
  const cancel = useOutputSearch((s) => s.cancel);
  const show = useLogTarget((s) => s.show);
  const [pattern, setPattern] = useState(state?.params.pattern ?? '');
  const [regex, setRegex] = useState(state?.params.regex ?? false);
  const [caseSensitive, setCaseSensitive] = useState(state?.params.caseSensitive ?? false);
  const [maxMb, setMaxMb] = useState(String(state?.params.maxMbPerFile ?? DEFAULT_SEARCH_MB));
  const [formError, setFormError] = useState('');
  const [scope, setScope] = useState<SearchScope>(state?.scope ?? { kind: 'cluster' });
  const clusterView = useClusterView(cluster);
  const services = useServices(cluster).view?.services ?? [];

  const submit = () => {
    const mb = Number(maxMb);
    if (!pattern.trim()) return setFormError('Type what to search for.');
    if (!(mb > 0)) return setFormError(`MB per file: a positive number, not "${maxMb}".`);
    const scoped = scopeParams(scope, services);
    if (!scoped) return setFormError(`The service ${scope.kind === 'service' ? scope.id : ''} is gone: choose another scope.`);
    setFormError('');
    start(client, { cluster, pattern: pattern.trim(), regex, caseSensitive, maxMbPerFile: mb, ...scoped }, scope);
  };
  const view = state?.view;
  const matches = view?.groups.reduce((n, g) => n + g.matches.length, 0) ?? 0;
  const open = (g: OutputGroup, m: OutputMatch) => {
    const back: LogView = { kind: 'search', cluster };
    // The viewer's own search is plain text: a regular expression is not handed to it.
    const find = state?.params.regex ? undefined : state?.params.pattern;
    show({ kind: 'source', source: { kind: 'task', cluster, taskId: g.taskId, frameworkId: g.frameworkId, agentId: g.agentId, file: g.file }, back, find, at: m.offset });
  };

  return (
    <Flex direction="column" gap="3" data-testid="output-search">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Flex direction="column" gap="2">
          <Flex gap="2" align="center" wrap="wrap">
            <TextField.Root
              value={pattern}
              onChange={(e) => setPattern(e.target.value)}
              placeholder="Search every task's stdout and stderr…"
              aria-label="Search all task output"
              style={{ minWidth: 320 }}
              data-testid="output-search-pattern"
            >
              <TextField.Slot>
                <Search size={14} />
              </TextField.Slot>
            </TextField.Root>
            <Text size="2">in</Text>
            <ScopePicker
              scope={scope}
              onChange={setScope}
              frameworks={Object.values(clusterView?.frameworks ?? {}).map((f) => ({ id: f.id, label: f.name || f.id }))}
              agents={Object.values(clusterView?.agents ?? {}).map((a) => ({ id: a.id, label: a.port ? `${a.hostname}:${a.port}` : a.hostname }))}
              services={services.map((s) => s.spec.id)}
            />
            {state?.running ? (
              <Button type="button" variant="soft" color="gray" onClick={() => cancel(cluster)} data-testid="output-search-cancel">
                <X size={14} /> Cancel
              </Button>
            ) : (
              <Button type="submit" data-testid="output-search-submit">
                <Search size={14} /> Search
              </Button>
            )}
          </Flex>
          <Flex gap="3" align="center" wrap="wrap">
            <Text as="label" size="2">
              <Flex gap="1" align="center">
                <Checkbox checked={regex} onCheckedChange={(v) => setRegex(v === true)} /> regular expression
              </Flex>
            </Text>
            <Text as="label" size="2">
              <Flex gap="1" align="center">
                <Checkbox checked={caseSensitive} onCheckedChange={(v) => setCaseSensitive(v === true)} /> match case
              </Flex>
            </Text>
            <Flex gap="1" align="center">
              <Text size="2">last</Text>
              <TextField.Root size="1" value={maxMb} onChange={(e) => setMaxMb(e.target.value)} aria-label="MB per file" inputMode="decimal" style={{ width: 56 }} />
              <Text size="2">MB of each file</Text>
            </Flex>
          </Flex>
        </Flex>
      </form>
      {(formError || state?.error) && (
        <Callout.Root color="red" size="1" role="alert">
          <Callout.Icon>
            <CircleAlert size={16} />
          </Callout.Icon>
          <Callout.Text>{formError || state?.error}</Callout.Text>
        </Callout.Root>
      )}
      {view && (
        <Flex direction="column" gap="1" data-testid="output-search-progress">
          <Text size="1" color="gray">
            {state?.running ? 'Searching' : view.done ? 'Searched' : 'Cancelled after'} {view.filesDone} of {view.filesTotal} files ({(view.bytesRead / 1e6).toFixed(1)} MB):{' '}
            {matches} match{matches === 1 ? '' : 'es'} in {view.groups.length} file{view.groups.length === 1 ? '' : 's'}
            {view.dropped ? `; ${view.dropped} more not kept` : ''}
          </Text>
          {state?.running && <Progress value={view.filesTotal ? (100 * view.filesDone) / view.filesTotal : 0} size="1" />}
          {view.problems.map((p) => (
            <Text key={p} size="1" color="amber">
              Not searched: {p}
            </Text>
          ))}
        </Flex>
      )}
      {view?.groups.map((g) => (
        <Card key={`${g.agentId}/${g.frameworkId}/${g.taskId}/${g.file}`} data-testid="output-search-group" data-agent={g.agentId} data-task={g.taskId}>
          <Flex gap="2" align="center" mb="2" wrap="wrap">
            <Text size="2" weight="bold">
              {g.taskId}
            </Text>
            <Badge color="gray">{g.file}</Badge>
            <Badge color={g.running ? 'green' : 'gray'}>{g.running ? 'running' : 'ended'}</Badge>
            <Text size="1" color="gray">
              last written {clockTime(g.mtime)} · {g.matches.length} match{g.matches.length === 1 ? '' : 'es'}
              {g.readFrom > 0 ? ` · searched from byte ${g.readFrom}` : ''}
            </Text>
          </Flex>
          <Flex direction="column" gap="2">
            {g.matches.map((m) => (
              <MatchRow key={m.offset} match={m} onOpen={() => open(g, m)} />
            ))}
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}

function MatchRow({ match, onOpen }: { match: OutputMatch; onOpen: () => void }) {
  return (
    <button type="button" className="output-search-match" onClick={onOpen} data-testid="output-search-match" title="Open in the log viewer">
      {match.before !== undefined && <span className="output-search-context">{match.before}</span>}
      <span className="output-search-line">{match.line}</span>
      {match.after !== undefined && <span className="output-search-context">{match.after}</span>}
    </button>
  );
}

const encode = (scope: SearchScope) => (scope.kind === 'cluster' ? 'cluster' : `${scope.kind}:${scope.id}`);

function decode(value: string): SearchScope {
  const colon = value.indexOf(':');
  const kind = value.slice(0, colon);
  const id = value.slice(colon + 1);
  return kind === 'framework' || kind === 'agent' || kind === 'service' ? { kind, id } : { kind: 'cluster' };
}

/** What the search covers: the whole cluster, a framework, an agent, or a service's tasks. */
function ScopePicker({
  scope,
  onChange,
  frameworks,
  agents,
  services,
}: {
  scope: SearchScope;
  onChange: (scope: SearchScope) => void;
  frameworks: Array<{ id: string; label: string }>;
  agents: Array<{ id: string; label: string }>;
  services: string[];
}) {
  const value = encode(scope);
  // A scope chosen before whose framework, agent or service is gone is still shown, by id.
  const known = value === 'cluster' || [...frameworks.map((f) => `framework:${f.id}`), ...agents.map((a) => `agent:${a.id}`), ...services.map((s) => `service:${s}`)].includes(value);
  return (
    <Select.Root value={value} onValueChange={(v) => onChange(decode(v))}>
      <Select.Trigger aria-label="Search in" data-testid="output-search-scope" />
      <Select.Content>
        <Select.Item value="cluster">the whole cluster</Select.Item>
        {!known && <Select.Item value={value}>{`${scope.kind} ${scope.kind === 'cluster' ? '' : scope.id}`}</Select.Item>}
        {frameworks.length > 0 && (
          <Select.Group>
            <Select.Label>Framework</Select.Label>
            {frameworks.map((f) => (
              <Select.Item key={f.id} value={`framework:${f.id}`}>
                framework {f.label}
              </Select.Item>
            ))}
          </Select.Group>
        )}
        {agents.length > 0 && (
          <Select.Group>
            <Select.Label>Agent</Select.Label>
            {agents.map((a) => (
              <Select.Item key={a.id} value={`agent:${a.id}`}>
                agent {a.label}
              </Select.Item>
            ))}
          </Select.Group>
        )}
        {services.length > 0 && (
          <Select.Group>
            <Select.Label>Service</Select.Label>
            {services.map((id) => (
              <Select.Item key={id} value={`service:${id}`}>
                service {id}
              </Select.Item>
            ))}
          </Select.Group>
        )}
      </Select.Content>
    </Select.Root>
  );
}
