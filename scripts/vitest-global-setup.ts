import { execFileSync } from 'node:child_process';

/**
 * The CLI and the package entry are tested as built (bin/mesoscope.cjs, `import 'mesoscope'`):
 * build the main process first, so the tests never run a stale dist/.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-main.mjs'], { stdio: 'inherit' });
}
