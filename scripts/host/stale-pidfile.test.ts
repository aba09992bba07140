import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./stale-pidfile.sh', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mesoscope-pidfile-'));
// A real live process whose name (comm) is "sleep", to stand for "some pid that is alive".
const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
afterAll(() => {
  sleeper.kill();
  rmSync(dir, { recursive: true, force: true });
});

function clear(file: string, daemon: string): string {
  return execFileSync('bash', ['-c', `log() { echo "$*"; }; . "$0"; clear_stale_pidfile "$1" "$2"`, SCRIPT, file, daemon], {
    encoding: 'utf8',
  });
}

function pidFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('clear_stale_pidfile (setup-host starts dockerd only after it)', () => {
  it('keeps a pid file whose process is the daemon it names', () => {
    const file = pidFile('alive.pid', `${sleeper.pid}\n`);
    expect(clear(file, 'sleep')).toBe('');
    expect(existsSync(file)).toBe(true);
  });

  it('removes a pid file whose pid now belongs to another process (dockerd would wait on it for a containerd that is not there)', () => {
    const file = pidFile('reused.pid', String(sleeper.pid));
    expect(clear(file, 'containerd')).toContain(`pid ${sleeper.pid} is not containerd`);
    expect(existsSync(file)).toBe(false);
  });

  it('removes a pid file whose process is gone, or that holds no pid', () => {
    const gone = execFileSync('bash', ['-c', 'sleep 0 & wait $!; echo $!'], { encoding: 'utf8' }).trim();
    const dead = pidFile('dead.pid', gone);
    const empty = pidFile('empty.pid', 'not a pid');
    expect(clear(dead, 'dockerd')).toContain('is not dockerd');
    expect(clear(empty, 'dockerd')).toContain('pid none is not dockerd');
    expect(existsSync(dead) || existsSync(empty)).toBe(false);
  });

  it('does nothing when there is no pid file', () => {
    expect(clear(join(dir, 'missing.pid'), 'dockerd')).toBe('');
  });
});
