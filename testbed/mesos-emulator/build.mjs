// Bundles the emulator into one CommonJS file for Node 18: dist/mesos-emulator.cjs.
//   node testbed/mesos-emulator/build.mjs
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

await build({
  entryPoints: [path.join(here, 'src/main.ts')],
  outfile: path.join(here, 'dist/mesos-emulator.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'none',
  define: { __EMULATOR_BUILD_TIME__: String(Math.floor(Date.now() / 1000)) },
  logLevel: 'info',
});
