import { Card, Flex, Select, Text, TextField } from '@radix-ui/themes';
import type { ClusterView, Task } from '@shared/dashboard/view';
import { Search } from 'lucide-react';
import { memo, startTransition, useCallback, useMemo, useRef, useState } from 'react';
import type { Verdict, Verdicts } from '@shared/doctor/verdict';
import { DoctorMark } from '../doctor/DoctorMark';
import { KillAllButton } from '../run/TaskActions';
import { STATE_COLOR, clockTime, shortState } from './describe';
import { useDashboardSource } from './source';
import { useFixedRows } from '../../components/use-fixed-rows';
import { useHeldWhile, useScrolling } from '../../components/use-scrolling';
import { useTourHighlight } from '../tours/use-tour';
import { TaskDrawer } from './TaskDrawer';
import { usePaintProbe } from './paint-probe';
import { ANY_VALUE, TaskOrder } from './task-order';
import { taskCount } from './live-view';

const ROW_HEIGHT = 40;
const ALL = ANY_VALUE;

/** Every task the master knows, newest first; thousands of rows stay smooth (only visible rows render). */
export function TasksTab({ view }: { view: ClusterView }) {
  const [state, setState] = useState(ALL);
  const [framework, setFramework] = useState(ALL);
  const [agent, setAgent] = useState(ALL);
  const [text, setText] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  // The drawer opens and closes as a transition (its history, the doctor, Docker's word): the click or
  // the Escape key is not one long frame (closing at once was a 26 ms handler under load, bench:events).
  const openTask = useCallback((key: string) => startTransition(() => setOpen(key)), []);
  const closeTask = useCallback(() => startTransition(() => setOpen(null)), []);

  // Only the tasks that changed since the last view are filtered and placed again (TaskOrder).
  const [order] = useState(() => new TaskOrder());
  const tasks = useMemo(() => order.update(view, { state, framework, agent, text }), [order, view, state, framework, agent, text]);
  const total = taskCount(view);

  // The filters' choices, the same arrays while they read the same (so the filters do not render
  // with every batch). The states present, from the frameworks' counts rather than every task.
  const stateOptions = useSameOptions([...new Set(Object.values(view.frameworks).flatMap((f) => Object.keys(f.taskCounts)))].sort().map((s) => [s, shortState(s)]));
  const frameworkOptions = useSameOptions(Object.values(view.frameworks).map((f) => [f.id, f.name]));
  const agentOptions = useSameOptions(Object.values(view.agents).map((a) => [a.id, `${a.hostname}:${a.port}`]));
  const selected = open ? view.tasks[open] : undefined;
  const source = useDashboardSource();
  // The task a tour scene points at (a live cluster only).
  const tourHighlight = useTourHighlight(source.kind === 'live' ? source.cluster : '');

  return (
    <Flex direction="column" gap="3">
      <Flex gap="2" wrap="wrap" align="center">
        <TextField.Root placeholder="Search id, name, message" value={text} onChange={(e) => setText(e.target.value)} aria-label="Search tasks" style={{ width: 260 }}>
          <TextField.Slot>
            <Search size={14} />
          </TextField.Slot>
        </TextField.Root>
        <Filter label="State" value={state} onChange={setState} options={stateOptions} />
        <Filter label="Framework" value={framework} onChange={setFramework} options={frameworkOptions} />
        <Filter label="Agent" value={agent} onChange={setAgent} options={agentOptions} />
        {source.kind === 'live' && <KillAllButton view={view} />}
        <Text size="1" color="gray" ml="auto" data-testid="task-count">
          {tasks.length} of {total} tasks
        </Text>
      </Flex>
      <Card size="1" className="task-table">
        <div className="task-row task-head">
          <span>Task</span>
          <span>State</span>
          <span>Framework</span>
          <span>Agent</span>
          <span>Last update</span>
          <span>Message</span>
        </div>
        <TaskTable tasks={tasks} total={total} view={view} verdicts={source.verdicts} highlightKey={tourHighlight?.taskKey} onOpen={openTask} />
      </Card>
      <TaskDrawer
        task={selected}
        agent={selected && view.agents[selected.agentId]}
        frameworkName={selected && view.frameworks[selected.frameworkId]?.name}
        onClose={closeTask}
      />
    </Flex>
  );
}

/**
 * The table's rows, only those on screen (useFixedRows: found by arithmetic, not by measuring 10,000
 * rows again whenever one is added). A component of its own so that a scroll, rendered at once, renders
 * the rows and not the whole tab with its filters (bench:events).
 *
 * While it scrolls, the table holds still: it shows the rows as they were when the scroll began, and
 * catches up 150 ms after the last scroll. Newest first on a busy cluster, every row moves down with
 * every batch; a row one scrolls to would not stay where it was found, and each batch rendered every
 * row again between the scroll's own renders (bench:events: a batch's render in most of the longest
 * scroll frames). Its rows take no pointer events meanwhile (styles.css: no row is hovered as the rows
 * pass under a still pointer, which the browser would hit-test, restyle and send events for each frame).
 */
const TaskTable = memo(function TaskTable({
  tasks: latest,
  total,
  view,
  verdicts,
  highlightKey,
  onOpen,
}: {
  tasks: Task[];
  total: number;
  view: ClusterView;
  verdicts: Verdicts;
  highlightKey: string | undefined;
  onOpen: (key: string) => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const scrolling = useScrolling(parent);
  const tasks = useHeldWhile(latest, scrolling);
  const rows = useFixedRows({ count: tasks.length, rowHeight: ROW_HEIGHT, overscan: 4, scroller: parent, enabled: true });
  return (
    <div ref={parent} className={scrolling ? 'task-scroll scrolling' : 'task-scroll'} data-testid="task-table">
      {tasks.length === 0 ? (
        <Text as="p" size="2" color="gray" className="task-empty">
          {total === 0 ? 'No tasks yet: launch one from a framework, and it appears here at once.' : 'No task matches the filters.'}
        </Text>
      ) : (
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((item) => {
            const task = tasks[item.index] as Task;
            const agent = view.agents[task.agentId];
            return (
              <TaskRow
                // Keyed by its place on screen: a re-sort or a scroll refills the same rows instead of moving
                // or making DOM nodes.
                key={item.key}
                task={task}
                frameworkName={view.frameworks[task.frameworkId]?.name ?? task.frameworkId}
                agentName={agent ? `${agent.hostname}:${agent.port}` : task.agentId}
                top={item.start}
                index={item.index}
                verdict={verdicts[task.key]}
                highlighted={highlightKey === task.key}
                onOpen={onOpen}
              />
            );
          })}
        </div>
      )}
    </div>
  );
});

/** A row re-renders only when its task, its names or its place change, not on every batch. */
const TaskRow = memo(function TaskRow({
  task,
  frameworkName,
  agentName,
  top,
  index,
  verdict,
  highlighted = false,
  onOpen,
}: {
  task: Task;
  frameworkName: string;
  agentName: string;
  top: number;
  /** Its place in the table (the paint probe tells the first screen from rows scrolled to). */
  index: number;
  verdict?: Verdict;
  highlighted?: boolean;
  onOpen: (key: string) => void;
}) {
  const last = task.statuses.at(-1);
  usePaintProbe(task.id, task.state, last?.at, index);
  return (
    <button
      type="button"
      className={highlighted ? 'task-row tour-highlight' : 'task-row'}
      data-tour-highlight={highlighted || undefined}
      style={{ position: 'absolute', top, left: 0, right: 0, height: ROW_HEIGHT }}
      onClick={() => onOpen(task.key)}
      data-testid={`task-row-${task.id}`}
      data-state={task.state}
    >
      {/* Radix Themes' classes on plain elements: the same look without its components' prop handling,
          which was most of a row's render under load (bench:events). */}
      <div className="rt-Flex rt-r-ai-center rt-r-gap-1" style={{ minWidth: 0 }}>
        {verdict && <DoctorMark verdict={verdict} />}
        <span className="rt-Text rt-r-size-2 rt-r-weight-medium rt-truncate">{task.name || task.id}</span>
      </div>
      <span>
        <span className="rt-reset rt-Badge rt-r-size-1 rt-variant-soft" data-accent-color={STATE_COLOR[task.state] ?? 'gray'}>
          {shortState(task.state)}
        </span>
      </span>
      <span className="rt-Text rt-r-size-1 rt-truncate">{frameworkName}</span>
      <span className="rt-Text rt-r-size-1 rt-truncate">{agentName}</span>
      <span className="rt-Text rt-r-size-1" data-accent-color="gray">
        {clockTime(task.updatedAt)}
      </span>
      <span className="rt-Text rt-r-size-1 rt-truncate" data-accent-color={last?.reason || task.state === 'TASK_FAILED' ? 'red' : 'gray'}>
        {/* One string: one text node, whatever the row shows next (a scroll refills the row). */}
        {`${last?.reason ? `${last.reason.replace(/^REASON_/, '')}: ` : ''}${last?.message ?? ''}`}
      </span>
    </button>
  );
});

/** `options`, the same array while they read the same. */
function useSameOptions(options: string[][]): string[][] {
  const key = JSON.stringify(options);
  return useMemo(() => JSON.parse(key) as string[][], [key]);
}

/** Radix's Select renders its items even while closed: a filter renders only when its own props change. */
const Filter = memo(function Filter({ label, value, onChange, options }: { label: string; value: string; onChange: (v: string) => void; options: string[][] }) {
  return (
    <Select.Root value={value} onValueChange={onChange}>
      <Select.Trigger aria-label={`${label} filter`} />
      <Select.Content>
        <Select.Item value={ALL}>Any {label.toLowerCase()}</Select.Item>
        {options.map(([v, text]) => (
          <Select.Item key={v} value={v as string}>
            {text}
          </Select.Item>
        ))}
      </Select.Content>
    </Select.Root>
  );
});
