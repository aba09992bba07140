// Command line: `node mesos-emulator.cjs master [flags]` or `… agent [flags]`
// (also `slave`), configured like mesos-master / mesos-agent: flags and MESOS_* env.
import { FlagsError } from './common/options';
import { startAgent } from './agent/agent';
import { startMaster } from './master/master';
import { MESOS_VERSION } from './version';

const USAGE = 'Usage: mesos-emulator.cjs (master|agent) [options]\n';

async function main(): Promise<void> {
  const [role, ...args] = process.argv.slice(2);
  const program = role === 'master' ? 'mesos-master' : role === 'agent' || role === 'slave' ? 'mesos-agent' : undefined;
  if (!program) {
    process.stderr.write(USAGE);
    process.exit(1);
  }
  if (args.includes('--version')) {
    process.stdout.write(`mesos ${MESOS_VERSION}\n`);
    process.exit(0);
  }
  if (args.includes('--help')) {
    process.stdout.write(`Usage: ${program} [options]\n\nMesoscope emulator of ${program} ${MESOS_VERSION}; see testbed/mesos-emulator/README.md\n`);
    process.exit(0);
  }
  const onExit = (code: number) => process.exit(code);
  try {
    if (program === 'mesos-master') {
      await startMaster({ args, env: process.env, onExit });
    } else {
      const agent = await startAgent({ args, env: process.env, onExit });
      // SIGUSR1 makes a real agent unregister and shut down.
      process.on('SIGUSR1', () => void agent.unregister().then(() => process.exit(0)));
    }
    // No SIGTERM handler on purpose: like the real binaries, the process just dies and its
    // ZooKeeper session expires on the server (and as PID 1 in a container, SIGTERM is ignored).
  } catch (e) {
    if (e instanceof FlagsError) {
      process.stderr.write(`${e.message}\n\nUsage: ${e.program} [options]\n`);
    } else {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    }
    process.exit(1);
  }
}

void main();
