import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// The CLI as a shell script uses it (cli-script.sh, next to this file): up, run a task that exits 3,
// ps --json through node -e, fault stop-agent with its outcome, doctor, env evaluated and used by
// curl, down, nothing left behind. The script checks each step itself; this runs it with bash against
// the real Docker daemon and the emulator test images, with its own settings folder and work root.

it('a shell script drives a cluster end to end with the mesoscope CLI', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesoscope-cli-script-'));
  const name = `cli-sh-${process.pid % 100_000}`;
  const env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('bash', ['electron/cli/cli-script.sh', name], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Bounded: a script that hangs is killed and fails the test.
      const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
      child.on('error', reject);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c, stdout, stderr });
      });
    });
    if (code !== 0) console.error(`cli-script.sh exited ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
    expect(stderr).not.toContain('FAILED:');
    expect(code).toBe(0);
    expect(stdout).toContain('Command exited with status 3');
    expect(stdout).toMatch(/^Verdict: AS EXPECTED — LOST after \d+\.\d s, as faults\.md says\.$/m);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('ALL GOOD');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 300_000);
