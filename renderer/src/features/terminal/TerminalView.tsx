import '@xterm/xterm/css/xterm.css';
import { Badge, Button, Flex, Text } from '@radix-ui/themes';
import type { ExecTarget } from '@shared/exec/schema';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { ClipboardPaste, Copy } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useClient } from '../../api/client-context';
import { ExecChannel } from './exec-channel';
import './terminal.css';

type Status = { kind: 'connecting' } | { kind: 'open'; title: string } | { kind: 'ended'; reason: string; exitCode: number | null } | { kind: 'failed'; message: string };

const encoder = new TextEncoder();
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

/**
 * A terminal into a container: xterm.js on an exec session. The TTY follows the panel's size (fit on
 * every resize of the element), copy is Ctrl+Shift+C or the button (Ctrl+C goes to the container, as
 * in any terminal), paste is the browser's (Ctrl+V, Ctrl+Shift+V) or the button. When the session ends or
 * cannot start, a line in the terminal and the header say why.
 */
export function TerminalView({ target, command }: { target: ExecTarget; command?: string[] }) {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'connecting' });
  const key = JSON.stringify([target, command]);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const xterm = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: { background: '#111113', foreground: '#e6e6e9' },
    });
    const fit = new FitAddon();
    xterm.loadAddon(fit);
    xterm.loadAddon(new WebLinksAddon());
    xterm.open(element);
    term.current = xterm;
    fit.fit();

    const line = (text: string, colour = DIM) => xterm.write(`\r\n${colour}${text}${RESET}\r\n`);
    const channel = new ExecChannel(
      client,
      { target, ...(command ? { command } : {}), tty: true, size: { cols: xterm.cols, rows: xterm.rows } },
      {
        onOpen: (title, again) => {
          if (again) line('— the connection to the host came back: this is a new session —');
          setStatus({ kind: 'open', title });
          channel.resize({ cols: xterm.cols, rows: xterm.rows });
          xterm.focus();
        },
        onOutput: (bytes, done) => xterm.write(bytes, done),
        onEnd: (reason, exitCode) => {
          line(`— session ended: ${reason} —`);
          setStatus({ kind: 'ended', reason, exitCode });
        },
        onError: (error) => {
          line(`— no session: ${error.message} —`, RED);
          setStatus({ kind: 'failed', message: error.message });
        },
        onProblem: (message) => line(`— ${message} —`, RED),
      },
    );
    const input = xterm.onData((data) => channel.send(encoder.encode(data)));
    const binary = xterm.onBinary((data) => channel.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
    const showSize = () => element.setAttribute('data-size', `${xterm.cols}x${xterm.rows}`);
    showSize();
    const resized = xterm.onResize(({ cols, rows }) => {
      showSize();
      channel.resize({ cols, rows });
    });
    xterm.attachCustomKeyEventHandler((event) => {
      if (event.type === 'keydown' && event.ctrlKey && event.shiftKey && event.code === 'KeyC') {
        if (xterm.hasSelection()) void navigator.clipboard?.writeText(xterm.getSelection());
        return false;
      }
      return true;
    });
    // The panel's size decides the TTY's: every change of the element refits (xterm then reports the new size).
    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      input.dispose();
      binary.dispose();
      resized.dispose();
      channel.close();
      xterm.dispose();
      term.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for target and command
  }, [client, key]);

  const copy = () => {
    const selection = term.current?.getSelection();
    if (selection) void navigator.clipboard?.writeText(selection);
    term.current?.focus();
  };
  const paste = async () => {
    const text = await navigator.clipboard?.readText().catch(() => '');
    if (text) term.current?.paste(text);
    term.current?.focus();
  };

  return (
    <Flex direction="column" gap="2" className="terminal-panel" data-testid="terminal">
      <Flex align="center" gap="2" justify="between">
        <Flex align="center" gap="2" minWidth="0">
          <StatusBadge status={status} />
          <Text size="1" color={status.kind === 'failed' ? 'red' : 'gray'} truncate data-testid="terminal-status">
            {describe(status)}
          </Text>
        </Flex>
        <Flex gap="2">
          <Button size="1" variant="soft" color="gray" onClick={copy} title="Copy the selection (Ctrl+Shift+C)">
            <Copy size={12} /> Copy
          </Button>
          <Button size="1" variant="soft" color="gray" onClick={() => void paste()} title="Paste (Ctrl+V)">
            <ClipboardPaste size={12} /> Paste
          </Button>
        </Flex>
      </Flex>
      <div className="terminal-host" ref={host} data-testid="terminal-host" />
    </Flex>
  );
}

function StatusBadge({ status }: { status: Status }) {
  if (status.kind === 'open') return <Badge color="green">connected</Badge>;
  if (status.kind === 'connecting') return <Badge color="gray">connecting</Badge>;
  if (status.kind === 'ended') return <Badge color="gray">ended</Badge>;
  return <Badge color="red">failed</Badge>;
}

function describe(status: Status): string {
  switch (status.kind) {
    case 'connecting':
      return 'Starting docker exec…';
    case 'open':
      return status.title;
    case 'ended':
      return `Session ended: ${status.reason}`;
    case 'failed':
      return status.message;
  }
}
