import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from './commands';
import { EXIT } from './command';
import { execute } from './run-cli';

// Every command's help and the usage errors, run through the same `execute` the `mesoscope` process runs,
// in-process (cli-commands.int.test.ts checks the process itself: output and exit codes).

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

/** None of these command lines may reach the API: usage is checked before. */
const noApi = () => Promise.reject(new Error('this command line reached the API'));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  out = [];
  err = [];
  const code = await execute(COMMANDS, argv, noApi, new AbortController().signal);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('mesoscope help', () => {
  it('lists every command in the overview, and bare `mesoscope` is a usage error', async () => {
    const overview = await cli('--help');
    expect(overview.code).toBe(EXIT.ok);
    const listed = COMMANDS.map((c) => c.name).filter((name) => new RegExp(`^ {2}${name} {2,}\\S`, 'm').test(overview.stdout));
    expect(listed).toEqual(COMMANDS.map((c) => c.name));
    expect(listed).toEqual(expect.arrayContaining(['ps', 'run', 'kill', 'doctor', 'fault', 'undo', 'record', 'replay', 'env', 'state', 'stop', 'start', 'agent add', 'agent remove', 'completion']));
    expect((await cli()).code).toBe(EXIT.usage);
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help: usage, an example of itself, --json', async (name) => {
    for (const argv of [[...name.split(' '), '--help'], ['help', ...name.split(' ')]]) {
      const help = await cli(...argv);
      expect(help.code, argv.join(' ')).toBe(EXIT.ok);
      expect(help.stdout).toMatch(new RegExp(`^Usage: mesoscope ${name}`));
      expect(help.stdout.slice(help.stdout.indexOf('Example:'))).toContain(`mesoscope ${name} `);
      expect(help.stdout).toContain('--json');
    }
  });
});

describe('usage errors: exit code 2 and the reason', () => {
  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['help', 'frobnicate'], 'unknown command "frobnicate"'],
    [['agent'], '"agent" needs one of: agent add, agent remove'],
    [['run', 'demo', 'echo', 'hi'], 'the command to run comes after --'],
    [['run', 'demo', '--cpus', 'lots', '--', 'true'], '--cpus takes a number, not "lots"'],
    [['run', 'demo', '--env', 'NOEQUALS', '--', 'true'], '--env takes NAME=VALUE'],
    [['ps', 'demo', '--bogus'], "Unknown option '--bogus'"],
    [['fault', 'demo', 'set-fire'], 'unknown fault "set-fire"'],
    [['kill', 'demo'], 'give a task id or --all'],
    [['record', 'demo', '--for', 'a while'], '--for takes a duration'],
    [['completion', 'fish'], 'completion takes bash or zsh'],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect([r.code, r.stderr]).toEqual([EXIT.usage, expect.stringContaining(message)]);
    expect(r.stderr).not.toContain('reached the API');
  });
});
