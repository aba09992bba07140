import type { ClusterSummary } from '@shared/cluster/status';
import { ApiError } from '@shared/errors';
import { MAX_SEARCH_MATCHES, type OutputGroup, type OutputSearchParams, type OutputSearchView } from '@shared/search/schema';
import { AgentClient, executorRuns, type FilesClient } from '../mesos/agent-client';
import { readSpan } from './file-reader';
import { shortName } from './log-service';

/**
 * Search every task's stdout and stderr at once, through each agent's /files (the sandboxes it keeps,
 * of live and finished tasks): the last N MB of each file, newest file first, a few files at a time;
 * the view (progress and the matches grouped by task) is emitted as it grows; aborting stops the reads.
 */

export interface OutputSearchDeps {
  cluster: (name: string) => Promise<ClusterSummary>;
  /** /files and /state requests; default 10 s. */
  timeoutMs?: number;
  /** How often the growing view is emitted at most. */
  emitEveryMs?: number;
}

/** Files searched at once. */
const PARALLEL_FILES = 4;
/** Bytes read per step (each step is several 64 KiB /files reads in flight). */
const STEP = 1024 * 1024;
const MAX_LINE = 1000;
const NL = 0x0a;

interface FileJob {
  agent: FilesClient;
  path: string;
  group: OutputGroup;
}

export async function searchTaskOutput(
  deps: OutputSearchDeps,
  params: OutputSearchParams,
  emit: (view: OutputSearchView) => void,
  signal: AbortSignal,
): Promise<OutputSearchView> {
  const cluster = await deps.cluster(params.cluster);
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const view: OutputSearchView = { pattern: params.pattern, filesTotal: 0, filesDone: 0, bytesRead: 0, groups: [], dropped: 0, problems: [], done: false };
  const matches = matcher(params);
  let kept = 0;
  let lastEmit = 0;
  const push = (force = false) => {
    const now = Date.now();
    if (!force && now - lastEmit < (deps.emitEveryMs ?? 100)) return;
    lastEmit = now;
    if (!signal.aborted) emit({ ...view, groups: view.groups.filter((g) => g.matches.length > 0), problems: [...view.problems] });
  };

  const agents = cluster.nodes.filter((n) => n.role === 'agent' && n.state === 'running').map((n) => ({ name: shortName(n), client: new AgentClient(`http://${n.address}`, { timeoutMs }) }));
  const scoped = { agent: false };
  const jobs = (await Promise.all(agents.map((agent) => filesOf(agent, params, view.problems, scoped, signal)))).flat();
  if (params.agentId && !scoped.agent && !signal.aborted) view.problems.push(`no running agent ${params.agentId} answered (an agent id, or a node name such as agent-1)`);
  // Newest first: the order results are shown in, and the order they are searched in.
  jobs.sort((a, b) => b.group.mtime - a.group.mtime);
  view.filesTotal = jobs.length;
  view.groups = jobs.map((j) => j.group);
  push(true);

  const maxBytes = Math.round(params.maxMbPerFile * 1024 * 1024);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !signal.aborted) {
      const job = jobs[next++] as FileJob;
      try {
        await searchFile(job, maxBytes, matches, signal, (m) => {
          if (kept >= MAX_SEARCH_MATCHES) {
            view.dropped += 1;
            return;
          }
          kept += 1;
          job.group.matches.push(m);
        }, (n) => {
          view.bytesRead += n;
          push();
        });
      } catch (err) {
        if (signal.aborted) break;
        view.problems.push(`${job.group.taskId} ${job.group.file}: ${(err as Error).message}`);
      }
      view.filesDone += 1;
      push();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_FILES }, worker));
  view.done = !signal.aborted;
  push(true);
  return { ...view, groups: view.groups.filter((g) => g.matches.length > 0) };
}

/** A line matcher: plain text (case-insensitive unless asked) or a regular expression. */
export function matcher(params: Pick<OutputSearchParams, 'pattern' | 'regex' | 'caseSensitive'>): (line: string) => boolean {
  if (params.regex) {
    let re: RegExp;
    try {
      re = new RegExp(params.pattern, params.caseSensitive ? '' : 'i');
    } catch (err) {
      throw new ApiError('invalid-input', `The pattern is not a regular expression: ${(err as Error).message}`);
    }
    return (line) => re.test(line);
  }
  const needle = params.caseSensitive ? params.pattern : params.pattern.toLowerCase();
  return params.caseSensitive ? (line) => line.includes(needle) : (line) => line.toLowerCase().includes(needle);
}

/** The stdout / stderr of every task in an agent's sandboxes that the search covers. */
async function filesOf(
  { name, client: agent }: { name: string; client: AgentClient },
  params: OutputSearchParams,
  problems: string[],
  scoped: { agent: boolean },
  signal: AbortSignal,
): Promise<FileJob[]> {
  let state;
  try {
    state = await agent.state(signal);
  } catch (err) {
    problems.push(`agent at ${agent.baseUrl}: ${(err as Error).message}`);
    return [];
  }
  // An agent is named by its id, or by its node's name (agent-2).
  if (params.agentId && state.id !== params.agentId && name !== params.agentId) return [];
  if (params.agentId) scoped.agent = true;
  const jobs: FileJob[] = [];
  await Promise.all(
    executorRuns(state).map(async (run) => {
      if (params.frameworkId && run.frameworkId !== params.frameworkId) return;
      const { executor } = run;
      // A command executor's id is its task's id (docs/mesos/api.md §0.11); otherwise the task it lists.
      const listed = [...executor.tasks, ...executor.queued_tasks, ...executor.completed_tasks];
      const taskId = listed[0]?.id ?? executor.id;
      if (params.taskIds && !params.taskIds.includes(taskId)) return;
      let entries;
      try {
        entries = await agent.browse(executor.directory, signal);
      } catch (err) {
        problems.push(`sandbox of ${taskId} on ${state.id}: ${(err as Error).message}`);
        return;
      }
      for (const file of params.files) {
        const entry = entries.find((e) => e.path === `${executor.directory}/${file}` || e.path.endsWith(`/${file}`));
        if (!entry) continue;
        jobs.push({
          agent,
          path: `${executor.directory}/${file}`,
          group: { taskId, frameworkId: run.frameworkId, agentId: state.id, file, mtime: Math.round(entry.mtime * 1000), size: entry.size, readFrom: 0, running: run.running, matches: [] },
        });
      }
    }),
  );
  return jobs;
}

const cut = (s: string) => (s.length > MAX_LINE ? `${s.slice(0, MAX_LINE)}…` : s);

/** The last `maxBytes` of the file (from a line start), line by line, with one line of context each side. */
async function searchFile(
  job: FileJob,
  maxBytes: number,
  matches: (line: string) => boolean,
  signal: AbortSignal,
  found: (m: OutputGroup['matches'][number]) => void,
  read: (bytes: number) => void,
): Promise<void> {
  const size = job.group.size;
  let at = Math.max(0, size - maxBytes);
  job.group.readFrom = at;
  let carry = Buffer.alloc(0);
  let carryStart = at;
  // Reading from the middle of a file: the first (partial) line is skipped.
  let skipFirst = at > 0;
  let previous: string | undefined;
  let waitingForAfter: OutputGroup['matches'][number] | undefined;
  const line = (text: string, offset: number) => {
    if (waitingForAfter) {
      waitingForAfter.after = cut(text);
      waitingForAfter = undefined;
    }
    if (matches(text)) {
      const m = { offset, line: cut(text), ...(previous !== undefined ? { before: cut(previous) } : {}) };
      found(m);
      waitingForAfter = m;
    }
    previous = text;
  };
  while (at < size && !signal.aborted) {
    const end = Math.min(size, at + STEP);
    const bytes = await readSpan(job.agent, job.path, at, end, signal);
    read(bytes.length);
    if (bytes.length === 0) break;
    const buf = carry.length ? Buffer.concat([carry, bytes]) : bytes;
    let start = 0;
    for (let nl = buf.indexOf(NL); nl >= 0; nl = buf.indexOf(NL, start)) {
      if (skipFirst) skipFirst = false;
      else line(buf.subarray(start, nl).toString('utf8').replace(/\r$/, ''), carryStart + start);
      start = nl + 1;
    }
    carryStart += start;
    carry = Buffer.from(buf.subarray(start));
    at += bytes.length;
  }
  if (carry.length > 0 && !skipFirst && !signal.aborted) line(carry.toString('utf8'), carryStart);
}
