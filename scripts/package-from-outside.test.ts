import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { missingImages } from '../testbed/scenario/launcher';
import { skipSuite } from '../testbed/support/suite-skip';

/**
 * The package as a user gets it: `npm pack`, installed from the tarball into a fresh TypeScript project
 * (its dependencies from the npm cache the repository's install filled, else the registry), type-checked
 * with TypeScript's strict settings and no skipLibCheck against the published types, then run with Node
 * to start a 1 + 1 cluster on the test images and destroy it.
 */

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const IMAGES = { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' };
const missing = await missingImages(Object.values(IMAGES)).catch(() => ['docker unavailable']);
const skip = skipSuite('the packed package from outside', missing.length > 0 ? `images missing (${missing.join(', ')}); run testbed/images/build.sh` : null);

const CONSUMER = `import { get } from 'node:http';
import { startCluster, type RunningCluster, type ClusterSpecInput } from 'mesoscope';

/** The leading master's /master/state (node:http: fetch refuses some ports a master may be given). */
function masterState(master: string): Promise<{ activated_slaves: number }> {
  return new Promise((resolve, reject) => {
    get(\`http://\${master}/master/state\`, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

const spec: ClusterSpecInput = {
  name: process.argv[2]!,
  masters: { count: 1 },
  agents: { count: 1 },
  pullPolicy: 'never',
  images: ${JSON.stringify(IMAGES)},
};
const cluster: RunningCluster = await startCluster(spec, { workRoot: process.argv[3]! });
let agents = -1;
try {
  agents = (await masterState(cluster.master)).activated_slaves;
} finally {
  const report = await cluster.destroy();
  console.log(JSON.stringify({ name: cluster.name, zk: cluster.zk, agents, nodes: cluster.summary.nodes.length, removed: report }));
}
`;

const NAME = `pkg-${process.pid % 100_000}`;
let dir: string | undefined;
afterAll(async () => {
  // The consumer destroys its cluster itself; should it have died first, nothing of it is left behind.
  await run(process.execPath, [join(repo, 'bin', 'mesoscope.cjs'), 'down', NAME], { timeout: 120_000 }).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('the packed package from outside', () => {
  it("`import { startCluster } from 'mesoscope'` type-checks and starts a 1 + 1 cluster from a fresh project", async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesoscope-pkg-'));
    let since = Date.now();
    const step = (what: string) => {
      console.log(`[package] ${what}: ${((Date.now() - since) / 1000).toFixed(1)} s`);
      since = Date.now();
    };
    // Packing runs prepack (the bundled .d.cts) and prepare (the main-process build).
    await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: repo, timeout: 300_000, maxBuffer: 16 << 20 });
    step('npm pack');
    const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^mesoscope-\d+\.\d+\.\d+\.tgz$/);

    const project = join(dir, 'consumer');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: false, types: ['node'], outDir: 'out' },
        files: ['main.ts'],
      }),
    );
    await writeFile(join(project, 'main.ts'), CONSUMER);
    // From npm's cache alone when the repository's install filled it (fast, no network), else the registry.
    const install = (mode: string) =>
      run('npm', ['install', mode, '--no-audit', '--no-fund', '--silent', join(dir!, tarball!), '@types/node@20'], { cwd: project, timeout: 300_000, maxBuffer: 16 << 20 });
    await install('--offline').catch(() => install('--prefer-offline'));

    step('npm install of the tarball');
    // Types: nothing of the repository's path aliases may leak into what was published.
    const compiled = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, timeout: 120_000 }).catch((err: { stdout?: string }) => {
      throw new Error(`tsc failed in the consumer project:\n${err.stdout ?? String(err)}`);
    });
    expect(compiled.stdout).toBe('');
    step('tsc');

    const name = NAME;
    const { stdout } = await run(process.execPath, [join(project, 'out', 'main.js'), name, join(dir, 'work')], { cwd: project, timeout: 180_000 });
    step('a 1 + 1 cluster started and destroyed');
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { name: string; zk: string; agents: number; nodes: number; removed: { containers: number; leftovers: string[] } };
    expect(result).toMatchObject({ name, agents: 1, nodes: 3 });
    expect(result.zk).toMatch(/^zk:\/\/127\.0\.0\.1:\d+\/mesos$/);
    expect(result.removed.containers).toBeGreaterThanOrEqual(3);
    expect(result.removed.leftovers).toEqual([]);
  }, 600_000);
});
