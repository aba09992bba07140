import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortClaims } from './port-claims';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-claims-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const reserved = (ports: number[], begin = 31000) => ({ ports: new Set(ports), ranges: [{ begin, end: begin + 99 }] });

/** A process that lives until killed: the holder of a claim written as another process's. */
function otherProcess() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  return { pid: child.pid as number, end: () => new Promise((resolve) => (child.kill(), child.once('exit', resolve))) };
}

describe('PortClaims', () => {
  it('gives other clusters’ claims as reserved, not the one asked about, and this process’s own release removes its claim', () => {
    const claims = new PortClaims(dir);
    claims.claim('a', reserved([2181, 5050, 5051]));
    claims.claim('b', reserved([2182, 5052, 5053], 31100));
    expect(new PortClaims(dir).others('b')).toEqual(reserved([2181, 5050, 5051]));
    expect([...claims.others().ports].sort()).toEqual([2181, 2182, 5050, 5051, 5052, 5053]);
    expect(claims.holder('a')).toBeUndefined(); // this process's own

    claims.release('a');
    expect(claims.others('b').ports.size).toBe(0);
  });

  it('names a live other process launching the same cluster, keeps its claim on release, and drops a dead one’s', async () => {
    const other = otherProcess();
    await writeFile(join(dir, 'x.json'), JSON.stringify({ pid: other.pid, ports: [2181], ranges: [] }));
    const claims = new PortClaims(dir);
    expect(claims.holder('x')).toBe(other.pid);
    claims.release('x');
    expect(claims.others().ports).toEqual(new Set([2181]));

    await other.end();
    expect(claims.holder('x')).toBeUndefined();
    expect(claims.others().ports.size).toBe(0);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });

  it('ignores, and leaves, a file that is no claim; a name with a slash stays inside the folder', async () => {
    await writeFile(join(dir, 'junk.json'), '{"pid": "me"');
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const claims = new PortClaims(dir);
    claims.claim('../escape', reserved([6000]));
    expect(claims.others().ports).toEqual(new Set([6000]));
    expect((await readdir(dir)).sort()).toEqual(['..%2Fescape.json', 'junk.json', 'notes.txt']);
  });

  it('runs one allocation at a time across processes: work waits while another process holds the lock', async () => {
    const claims = new PortClaims(dir);
    await claims.exclusively(async () => undefined); // makes the folder
    // Another process takes the lock for 600 ms, with the library the engine uses.
    const script = `const l = require('proper-lockfile'); l.lock(${JSON.stringify(dir)}).then((release) => { console.log('held'); setTimeout(() => release().then(() => process.exit(0)), 600); });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const asked = Date.now();
    const waited = await claims.exclusively(async () => Date.now() - asked);
    expect(waited).toBeGreaterThan(300);
    await exited;
  });
});
