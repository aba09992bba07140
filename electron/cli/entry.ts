import { createClient, type MesoscopeClient } from '@shared/api/client';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { COMMANDS } from './commands';
import { runCli } from './run-cli';

/**
 * `mesoscope`: the engine from a terminal or a script, through the same API the app uses (the
 * in-process dispatcher).
 */

/** The engine behind the API, made on the first command that needs it. */
let core: Core | null = null;
async function api(): Promise<MesoscopeClient> {
  core ??= await createCore();
  return createClient(createInProcessTransport(core.dispatcher));
}

runCli(COMMANDS, process.argv.slice(2), api, async () => core?.dispose());
