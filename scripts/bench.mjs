// `npm run bench:<name>`: bundle bench/<name>.ts with esbuild and run it with node.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const name = process.argv[2];
if (!name) {
  console.error('usage: node scripts/bench.mjs <name>   (bench/<name>.ts)');
  process.exit(2);
}
const outfile = `dist/bench/${name}.cjs`;
await build({ entryPoints: [`bench/${name}.ts`], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', tsconfig: 'tsconfig.json', logLevel: 'warning' });
const { status } = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
process.exit(status ?? 1);
