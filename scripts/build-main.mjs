// Bundles the main-process entry points with esbuild (the renderer is built by Vite).
// main and web host keep node_modules external (electron-builder ships them); the sandboxed preload
// cannot require anything but 'electron', so it is bundled whole.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Paths below are relative to the repository root, wherever this is run from.
const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  tsconfig: 'tsconfig.json',
  absWorkingDir: root,
};

const started = Date.now();
await Promise.all([
  build({ ...common, entryPoints: { main: 'electron/main.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, packages: 'external' }),
  build({ ...common, entryPoints: { 'web-host': 'electron/web-host/main.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, packages: 'external' }),
  build({ ...common, entryPoints: { cli: 'electron/cli/entry.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, packages: 'external' }),
  build({ ...common, entryPoints: { index: 'electron/index.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, packages: 'external' }),
  build({ ...common, entryPoints: { preload: 'electron/shell/preload.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, external: ['electron'], minify: true }),
]);
console.log(`main process built in ${Date.now() - started} ms`);
