// Fetches the Electron binary for the desktop shell, as electron's own install script would (that script
// is denied in package.json `allowScripts` so that a failed download cannot fail `npm install`).
// Where the binary cannot be downloaded, the install goes on: the web host (`npm run start:web`) and the
// tests need no Electron binary, and `npm start` says so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const installer = fileURLToPath(new URL('../node_modules/electron/install.js', import.meta.url));
if (!existsSync(installer)) process.exit(0); // not a development install (electron is a devDependency)
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);

const { status, stderr } = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', timeout: 600_000 });
if (status !== 0) {
  const reason = (stderr ?? '').split('\n').find((line) => /Error/.test(line))?.trim() ?? `exit ${status}`;
  console.warn(`Electron's binary could not be downloaded (${reason}): the desktop shell is not installed; \`npm run start:web\` serves the app to a browser.`);
}
