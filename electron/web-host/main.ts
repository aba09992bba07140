import { existsSync } from 'node:fs';
import { writeUrlFile } from './url-file';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../core';
import { configDir } from '../settings/config-dir';
import { DownloadTickets } from './downloads';
import { hostApiUrl, publishHostEndpoint } from './host-endpoint';
import { startWebHost } from './server';

/**
 * `npm run start:web`: the Mesoscope UI in a browser. Serves dist/renderer and the API on loopback and
 * prints the URL to open (it carries the access token) to a terminal, or writes it to --print-url-to FILE.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.MESOSCOPE_PORT ?? '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'print-url-to': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number from 0 to 65535 (0 picks a free port), not "${values.port}"`);
  }
  const rendererDir = join(__dirname, '..', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir} has no index.html): run npm run build first.`);
  }

  const downloads = new DownloadTickets();
  const core = await createCore({ downloads, rendererDir });
  const host = await startWebHost({ dispatcher: core.dispatcher, rendererDir, host: values.host, port, downloads });
  // The CLI on this machine drives the clusters through this process while it runs.
  const unpublish = await publishHostEndpoint(configDir(), { pid: process.pid, url: hostApiUrl(values.host, host.port, host.token) });
  // The link carries the access token: a terminal shows it to the person who started the host, but
  // stdout piped into a log file would keep it for anyone who reads the log.
  if (values['print-url-to']) await writeUrlFile(values['print-url-to'], host.url);
  const where = new URL(host.url);
  where.search = '';
  if (process.stdout.isTTY) console.log(`Mesoscope is running at ${host.url}`);
  else if (values['print-url-to']) console.log(`Mesoscope is running at ${where.href} (the link with its token is in ${values['print-url-to']})`);
  else console.log(`Mesoscope is running at ${where.href} (the link with its token is printed only to a terminal: run it in one, or with --print-url-to FILE)`);
  console.log(`Docker endpoint: ${core.docker.endpoint.url} (${core.docker.endpoint.source})`);

  const stop = async () => {
    await unpublish();
    await host.close();
    await core.dispose();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`mesoscope web host: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
