/**
 * The app's main process for bench:events: the web host (electron/web-host/main.ts) with one difference,
 * the cluster named by MESOSCOPE_BENCH_CLUSTER has its monitor pointed at the load source
 * (MESOSCOPE_BENCH_MASTER) through createCore's `masterOverride` — the app follows it like any master.
 * Writes the page URL (with its token) to the file named in argv[2]. BENCH_PROFILE=1: a CPU profile of
 * this process, written to argv[3] on SIGTERM.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { createCore } from '../../electron/core';
import { DownloadTickets } from '../../electron/web-host/downloads';
import { startWebHost } from '../../electron/web-host/server';

async function main(): Promise<void> {
  const [urlFile, profileFile] = process.argv.slice(2);
  const cluster = process.env.MESOSCOPE_BENCH_CLUSTER;
  const master = process.env.MESOSCOPE_BENCH_MASTER;
  if (!urlFile || !cluster || !master) throw new Error('usage: host-process URL_FILE [PROFILE_FILE], with MESOSCOPE_BENCH_CLUSTER and MESOSCOPE_BENCH_MASTER set');
  let profiler: Session | undefined;
  if (profileFile) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const downloads = new DownloadTickets();
  const core = await createCore({ downloads, masterOverride: (name) => (name === cluster ? { masters: [master] } : undefined) });
  const host = await startWebHost({ dispatcher: core.dispatcher, rendererDir: join(process.cwd(), 'dist', 'renderer'), downloads });
  await writeFile(urlFile, host.url, { mode: 0o600 });
  process.once('SIGTERM', () => {
    void (async () => {
      if (profiler && profileFile) {
        const { profile } = await profiler.post('Profiler.stop');
        await writeFile(profileFile, JSON.stringify(profile));
      }
      await host.close();
      await core.dispose();
      process.exit(0);
    })();
  });
}

main().catch((err: unknown) => {
  console.error(`bench host: ${(err as Error).message}`);
  process.exit(1);
});
