import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WebHostProcess {
  /** The page URL with its token, as printed by the host. */
  url: string;
  configDir: string;
  workRoot: string;
  /** What the host printed (stdout and stderr) so far. */
  output(): string;
  stop(options?: { keepDirs?: boolean }): Promise<void>;
}

/** The testbed's images: the emulator stands in for Mesos unless MESOSCOPE_TEST_MESOS_IMAGE names real Mesos. */
export { TEST_IMAGES } from '../../testbed/real-mesos/images';

/**
 * Starts the built web host (`dist/electron/web-host.cjs`) the way `npm run start:web` does, with its
 * own settings folder (`settings` written there first) and its own agents' work root.
 */
export async function startWebHostProcess(
  env: Record<string, string> = {},
  settings?: object,
  /** The folders of an earlier host (an app restart): kept by its stop({ keepDirs: true }). */
  dirs?: { configDir: string; workRoot: string },
): Promise<WebHostProcess> {
  const configDir = dirs?.configDir ?? (await mkdtemp(join(tmpdir(), 'mesoscope-e2e-')));
  const workRoot = dirs?.workRoot ?? (await mkdtemp(join(tmpdir(), 'mesoscope-e2e-work-')));
  if (settings) await writeFile(join(configDir, 'settings.json'), JSON.stringify(settings));
  // Not a terminal: the host writes the link with its token to a file of ours (mode 0600), not to stdout.
  const urlFile = join(configDir, 'url');
  const child: ChildProcess = spawn(process.execPath, ['dist/electron/web-host.cjs', '--port', '0', '--print-url-to', urlFile], {
    // The tests check every payload against the contract, the hot subscriptions' too (createCore's checkHotPayloads).
    env: { ...process.env, MESOSCOPE_CONFIG_DIR: configDir, MESOSCOPE_WORK_ROOT: workRoot, MESOSCOPE_CHECK_PAYLOADS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/running at http:\/\/\S+/.test(output)) {
        clearTimeout(timer);
        resolve(readFile(urlFile, 'utf8').then((text) => text.trim()));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    configDir,
    workRoot,
    output: () => output,
    stop: async ({ keepDirs = false } = {}) => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (keepDirs) return;
      await rm(configDir, { recursive: true, force: true });
      await rm(workRoot, { recursive: true, force: true });
    },
  };
}
