import type Dockerode from 'dockerode';

/** Marks every process of a session (the exec's environment, inherited by its children), so that they can be found to end them. */
export const SESSION_ENV = 'MESOSCOPE_EXEC_SESSION';

/** How long the processes get to go after SIGHUP before the same search sends SIGKILL. */
const HANGUP_GRACE_S = 1;

/**
 * Ends what a closed session left running. Docker does not end an exec's process when its client goes
 * away (moby issue 9098), so a shell would live on in the container: a second, short exec finds every
 * process whose environment carries the session's mark (through /proc, as any POSIX sh can) and sends
 * it SIGHUP, as a terminal's hang-up would, then SIGKILL to any that stayed. Bounded; best effort on a
 * container that stopped meanwhile.
 */
export async function stopExecProcesses(container: Dockerode.Container, exec: Dockerode.Exec, sessionId: string): Promise<void> {
  const running = await exec.inspect().then((i) => i.Running, () => false);
  if (!running) return;
  const mark = `${SESSION_ENV}=${sessionId}`;
  const script = [
    'sig() { for p in /proc/[0-9]*; do',
    `  if tr '\\000' '\\n' < "$p/environ" 2>/dev/null | grep -qxF "$MARK"; then kill -"$1" "\${p#/proc/}" 2>/dev/null; fi;`,
    'done; }',
    `sig HUP; sleep ${HANGUP_GRACE_S}; sig KILL; true`,
  ].join('\n');
  try {
    // The killer's own environment has the mark under another name, so it never matches itself.
    const killer = await container.exec({ Cmd: ['sh', '-c', script], Env: [`MARK=${mark}`], AttachStdout: true, AttachStderr: true });
    const stream = await killer.start({ hijack: true, stdin: false });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      stream.on('data', () => undefined);
      stream.once('end', () => (clearTimeout(timer), resolve()));
      stream.once('close', () => (clearTimeout(timer), resolve()));
      stream.once('error', () => (clearTimeout(timer), resolve()));
    });
    stream.destroy();
  } catch {
    // The container stopped or Docker went away: then the exec's process is gone too.
  }
}
