import { createClient, type MesoscopeClient } from '@shared/api/client';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { configDir } from '../settings/config-dir';
import { findHostEndpoint } from '../web-host/host-endpoint';
import { EXIT } from './command';
import { COMMANDS } from './commands';
import { connectToHost, type HostClient } from './host-client';
import { runCli } from './run-cli';

/**
 * `mesoscope`: the engine from a terminal or a script, through the same API the app uses. When the
 * desktop app or the web host runs on the same data dir, through its API socket (host-endpoint.ts says
 * why); otherwise through an engine in this process (the in-process dispatcher).
 */

let core: Core | null = null;
let host: HostClient | null = null;

/** The API, found or made on the first command that needs it. */
async function api(): Promise<MesoscopeClient> {
  if (host) return host.client;
  if (core) return createClient(createInProcessTransport(core.dispatcher));
  const lookup = await findHostEndpoint(configDir()).catch((err: Error) => ({ kind: 'ignored' as const, why: err.message }));
  if (lookup.kind === 'found') {
    host = await connectToHost(lookup.endpoint.url, () => {
      console.error(`mesoscope: the connection to Mesoscope (pid ${lookup.endpoint.pid}) was lost; what was asked may or may not have been done.`);
      process.exit(EXIT.failed);
    });
    if (host) return host.client;
    console.error(`mesoscope: Mesoscope (pid ${lookup.endpoint.pid}) did not answer on its API socket: running the engine in this process.`);
  } else if (lookup.kind === 'ignored') {
    console.error(`mesoscope: ${lookup.why}: running the engine in this process.`);
  }
  core = await createCore();
  return createClient(createInProcessTransport(core.dispatcher));
}

runCli(COMMANDS, process.argv.slice(2), api, async () => {
  host?.close();
  await core?.dispose();
});
