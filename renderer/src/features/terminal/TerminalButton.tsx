import { Button, Dialog, Flex, IconButton } from '@radix-ui/themes';
import type { ExecTarget } from '@shared/exec/schema';
import { SquareTerminal } from 'lucide-react';
import { useState } from 'react';
import { TerminalView } from './TerminalView';

/** What a terminal's panel is titled: the node or the task it is into. */
export function terminalTitle(target: ExecTarget): string {
  return target.kind === 'node' ? `Terminal · ${target.node}` : `Terminal · task ${target.taskId}`;
}

/**
 * Opens a terminal into a container in a panel (closing the panel ends the session). `icon`: a small
 * icon button (node cards, table rows); otherwise a labelled button (the task drawer).
 */
export function TerminalButton({ target, icon = false, disabled = false, command }: { target: ExecTarget; icon?: boolean; disabled?: boolean; command?: string[] }) {
  const [open, setOpen] = useState(false);
  const label = target.kind === 'node' ? `Terminal into ${target.node}` : `Terminal into task ${target.taskId}`;
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger>
        {icon ? (
          <IconButton variant="ghost" color="gray" size="1" aria-label={label} title={label} disabled={disabled}>
            <SquareTerminal size={14} />
          </IconButton>
        ) : (
          <Button size="1" variant="soft" disabled={disabled} title={label}>
            <SquareTerminal size={14} /> terminal
          </Button>
        )}
      </Dialog.Trigger>
      <Dialog.Content className="terminal-dialog" aria-describedby={undefined} data-testid="terminal-dialog">
        <Flex justify="between" align="center" mb="2">
          <Dialog.Title mb="0" size="3">
            {terminalTitle(target)}
          </Dialog.Title>
          <Dialog.Close>
            <Button size="1" variant="soft" color="gray">
              Close
            </Button>
          </Dialog.Close>
        </Flex>
        {open && <TerminalView target={target} command={command} />}
      </Dialog.Content>
    </Dialog.Root>
  );
}
