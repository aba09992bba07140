import { Badge, Code, DataList, Flex, Heading, Text, Theme } from '@radix-ui/themes';
import type { Agent, Task } from '@shared/dashboard/view';
import { Dialog } from 'radix-ui';
import { memo, useRef } from 'react';
import { DoctorSection } from '../doctor/DoctorSection';
import { KillTaskButton } from '../run/TaskActions';
import { TaskLogLinks } from '../logs/TaskLogLinks';
import { TaskTerminalButton } from '../terminal/TaskTerminalButton';
import { STATE_COLOR, clockTime, shortState } from './describe';
import { useDashboardSource } from './source';
import { TaskContainerState } from './TaskContainerState';

/**
 * One task: where it runs, what it holds, and every status it went through, with reason and message.
 * It renders when its task or agent changes, not with every batch of a busy cluster's view
 * (bench:events: the drawer's re-renders under load were its longest frames).
 *
 * A side panel, not a modal dialog: the table beside it stays live and a click on it closes the panel
 * (Escape too). Radix Themes' Dialog is always modal, and a modal one sets `pointer-events: none` on
 * the body and injects a scroll lock: every element of the page had its style computed again, most
 * of the 50 ms opening frame under load in bench:events. Focus moves into the panel a frame after it
 * shows, so that focusing (which lays the page out) is not part of that frame.
 */
export const TaskDrawer = memo(function TaskDrawer({
  task,
  agent,
  frameworkName,
  onClose,
}: {
  task: Task | undefined;
  agent: Agent | undefined;
  frameworkName: string | undefined;
  onClose: () => void;
}) {
  const containerId = task ? [...task.statuses].reverse().find((s) => s.containerId)?.containerId : undefined;
  const ip = task ? [...task.statuses].reverse().find((s) => s.ip)?.ip : undefined;
  const live = useDashboardSource().kind === 'live';
  const panel = useRef<HTMLDivElement>(null);
  return (
    <Dialog.Root open={task !== undefined} onOpenChange={(open) => !open && onClose()} modal={false}>
      <Dialog.Portal>
        <Theme asChild>
          <Dialog.Content
            ref={panel}
            className="rt-BaseDialogContent rt-DialogContent rt-r-size-3 drawer"
            aria-describedby={undefined}
            data-testid="task-drawer"
            onOpenAutoFocus={(e) => {
              e.preventDefault();
              requestAnimationFrame(() => setTimeout(() => panel.current?.focus({ preventScroll: true })));
            }}
          >
            {task && (
              <Flex direction="column" gap="4">
                <Flex align="center" gap="3">
                  <Dialog.Title asChild>
                    <Heading size="5" mb="0">
                      {task.name || task.id}
                    </Heading>
                  </Dialog.Title>
                  <Badge color={STATE_COLOR[task.state] ?? 'gray'} size="2">
                    {shortState(task.state)}
                  </Badge>
                  {live && <KillTaskButton task={task} />}
                </Flex>
                <DoctorSection task={task} agent={agent} />
                <DataList.Root size="1">
                  <DataList.Item>
                    <DataList.Label>Task id</DataList.Label>
                    <DataList.Value>
                      <Code variant="ghost">{task.id}</Code>
                    </DataList.Value>
                  </DataList.Item>
                  <DataList.Item>
                    <DataList.Label>Framework</DataList.Label>
                    <DataList.Value>{frameworkName ?? task.frameworkId}</DataList.Value>
                  </DataList.Item>
                  <DataList.Item>
                    <DataList.Label>Agent</DataList.Label>
                    <DataList.Value>{agent ? `${agent.hostname}:${agent.port} (${agent.id})` : task.agentId}</DataList.Value>
                  </DataList.Item>
                  <DataList.Item>
                    <DataList.Label>Resources</DataList.Label>
                    <DataList.Value>
                      {task.resources.cpus} cpus · {task.resources.mem} MB mem{task.resources.ports ? ` · ports ${task.resources.ports}` : ''}
                    </DataList.Value>
                  </DataList.Item>
                  <DataList.Item>
                    <DataList.Label>Container</DataList.Label>
                    <DataList.Value>
                      <span>
                        {task.container ? `${task.container.type} ${task.container.image ?? ''}` : 'command (Mesos containerizer)'}
                        {containerId && (
                          <>
                            {' · '}
                            <Code variant="ghost">{containerId}</Code>
                          </>
                        )}
                        {ip && ` · ${ip}`}
                      </span>
                    </DataList.Value>
                  </DataList.Item>
                  {live && containerId && task.container?.type === 'DOCKER' && (
                    <DataList.Item>
                      <DataList.Label>Docker</DataList.Label>
                      <DataList.Value>
                        <TaskContainerState containerId={containerId} taskState={task.state} />
                      </DataList.Value>
                    </DataList.Item>
                  )}
                </DataList.Root>
                {live && (
                  <Flex gap="2" wrap="wrap">
                    <TaskLogLinks task={task} />
                    <TaskTerminalButton task={task} />
                  </Flex>
                )}
                <div>
                  <Heading size="3" mb="2">
                    Status history
                  </Heading>
                  <ol className="timeline" data-testid="task-timeline">
                    <li>
                      <Text size="1" color="gray">
                        {clockTime(task.seenAt)}
                      </Text>{' '}
                      <Badge color="gray">STAGING</Badge>{' '}
                      <Text size="1" color="gray">
                        {task.statuses[0]?.beforeAttach ? 'accepted by the master before Mesoscope attached' : 'accepted by the master (no status yet)'}
                      </Text>
                    </li>
                    {task.statuses.map((s, i) => (
                      <li key={`${s.state}-${s.at ?? i}-${i}`} data-before-attach={s.beforeAttach ? 'true' : undefined}>
                        <Text size="1" color="gray">
                          {clockTime(s.at)}
                        </Text>{' '}
                        <Badge color={STATE_COLOR[s.state] ?? 'gray'}>{shortState(s.state)}</Badge>
                        {s.beforeAttach && (
                          <Badge color="gray" variant="outline" ml="1" title="Known from the master's record when Mesoscope attached (GET_TASKS), not seen live">
                            before attach
                          </Badge>
                        )}
                        {s.source && (
                          <Text size="1" color="gray">
                            {' '}
                            from {s.source.replace(/^SOURCE_/, '').toLowerCase()}
                          </Text>
                        )}
                        {s.reason && (
                          <Text as="div" size="1" weight="bold">
                            {s.reason}
                          </Text>
                        )}
                        {s.message && (
                          <Text as="div" size="1" className="timeline-message">
                            {s.message}
                          </Text>
                        )}
                      </li>
                    ))}
                  </ol>
                </div>
              </Flex>
            )}
          </Dialog.Content>
        </Theme>
      </Dialog.Portal>
    </Dialog.Root>
  );
});
