import { parseArgs } from 'node:util';
import type { MesoscopeClient } from '@shared/api/client';
import { ApiError, type ErrorCode } from '@shared/errors';
import { type Command, EXIT, EXIT_CODES_HELP, GLOBAL_OPTIONS, UsageError } from './command';

/** API error codes as exit codes. */
const EXIT_OF: Partial<Record<ErrorCode, number>> = {
  'invalid-input': EXIT.usage,
  refused: EXIT.refused,
  unavailable: EXIT.refused,
  'not-found': EXIT.notFound,
  failed: EXIT.failed,
};

/** After Ctrl-C, a command has this long to end cleanly before the process goes anyway. */
const INTERRUPT_GRACE_MS = 5000;

export function overview(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: mesoscope <command> [options]   (mesoscope <command> --help: its options and an example)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --json (machine-readable output on stdout) and --help.',
    EXIT_CODES_HELP,
  ].join('\n');
}

export function commandHelp(c: Command): string {
  const all: Command['options'] = { ...c.options, ...GLOBAL_OPTIONS };
  const opts = Object.entries(all).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${c.optionHelp?.[name] ?? 'VALUE'}` : ''}`;
    return `  ${flag}`;
  });
  return [
    `Usage: mesoscope ${c.name}${c.args ? ` ${c.args}` : ''}`,
    '',
    c.summary,
    ...(c.help ? ['', c.help] : []),
    '',
    'Options:',
    ...opts,
    '',
    'Example:',
    ...c.example.split('\n').map((l) => `  ${l}`),
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}

/** The command named by the first words of argv (`agent add`), and the words after it. */
function lookup(commands: Command[], argv: string[]): { command: Command; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return null;
}

async function main(commands: Command[], argv: string[], api: () => Promise<MesoscopeClient>, interrupted: AbortSignal): Promise<number> {
  const [first] = argv;
  if (!first || first === '--help' || first === '-h') {
    console.log(overview(commands));
    return first ? EXIT.ok : EXIT.usage;
  }
  if (first === 'help') {
    const found = argv.length > 1 ? lookup(commands, argv.slice(1)) : null;
    if (argv.length > 1 && !found) throw new UsageError(`unknown command "${argv.slice(1).join(' ')}"`);
    console.log(found ? commandHelp(found.command) : overview(commands));
    return EXIT.ok;
  }
  const found = lookup(commands, argv);
  if (!found) {
    const subs = commands.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name);
    throw new UsageError(subs.length ? `"${first}" needs one of: ${subs.join(', ')}` : `unknown command "${first}"`);
  }
  const { command, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, tokens: true, options: { ...command.options, ...GLOBAL_OPTIONS } });
  } catch (err) {
    throw new UsageError(`${command.name}: ${(err as Error).message}`, { cause: command });
  }
  if (parsed.values.help) {
    console.log(commandHelp(command));
    return EXIT.ok;
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  // Words after `--` are kept apart (run's command), never taken for options or the command's own arguments.
  const terminator = parsed.tokens.find((t) => t.kind === 'option-terminator');
  const before = terminator ? parsed.tokens.filter((t) => t.kind === 'positional' && t.index < terminator.index).length : parsed.positionals.length;
  try {
    return await command.run({ api, positionals: parsed.positionals.slice(0, before), afterDashes: parsed.positionals.slice(before), values, json: values.json === true, interrupted });
  } catch (err) {
    if (err instanceof UsageError && !err.cause) err.cause = command;
    throw err;
  }
}

/**
 * Runs one command line and answers its exit code, never exiting the process. Errors: usage errors print
 * the command's usage (exit 2); API errors their message (exit code by error code).
 */
export async function execute(commands: Command[], argv: string[], api: () => Promise<MesoscopeClient>, interrupted: AbortSignal): Promise<number> {
  try {
    return await main(commands, argv, api, interrupted);
  } catch (err) {
    if (err instanceof UsageError) {
      const command = err.cause as Command | undefined;
      console.error(`mesoscope: ${err.message}\n\n${command ? `Usage: mesoscope ${command.name} ${command.args}\n(mesoscope ${command.name} --help for more)` : overview(commands)}`);
      return EXIT.usage;
    }
    console.error(`mesoscope: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof ApiError ? (EXIT_OF[err.code] ?? EXIT.failed) : EXIT.failed;
  }
}

/** Runs the command line (`execute`) and exits with its code; Ctrl-C interrupts the command, twice ends it. */
export function runCli(commands: Command[], argv: string[], api: () => Promise<MesoscopeClient>, dispose: () => Promise<void>): void {
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
    setTimeout(() => process.exit(130), INTERRUPT_GRACE_MS).unref();
  };
  process.on('SIGINT', onSigint);
  void execute(commands, argv, api, interrupt.signal).then(async (code) => {
    await Promise.race([dispose().catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
    process.exit(code);
  });
}
