// `npm run bench:<name>`: bundle bench/<name>.ts with esbuild and run it with node.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Paths below are relative to the repository root, wherever this is run from.
const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const name = process.argv[2];
if (!name) {
  console.error('usage: node scripts/bench.mjs <name>   (bench/<name>.ts)');
  process.exit(2);
}
const outfile = `dist/bench/${name}.cjs`;
await build({ entryPoints: [`bench/${name}.ts`], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', tsconfig: 'tsconfig.json', absWorkingDir: root, logLevel: 'warning' });
const { status } = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
process.exit(status ?? 1);
