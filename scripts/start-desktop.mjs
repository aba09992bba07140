// `npm start`: the desktop shell, if Electron's binary is installed; otherwise one line naming the web host.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

function electronBinary() {
  try {
    return createRequire(import.meta.url)('electron'); // the binary's path; throws when it was never downloaded
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (!electron) {
  console.error('The desktop shell is not installed here (Electron\'s binary could not be downloaded): run `npm run start:web` to use Mesoscope in a browser.');
  process.exit(1);
}
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const { status } = spawnSync(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(status ?? 1);
