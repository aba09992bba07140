import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where agents' work dirs live on the host. They are bound at the same path inside the agent
 * container, so on Docker Desktop the folder must be one the VM shares (the home folder is).
 */
export function defaultWorkRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MESOSCOPE_WORK_ROOT) return env.MESOSCOPE_WORK_ROOT;
  if (platform === 'linux' && process.getuid?.() === 0) return '/var/lib/mesoscope';
  return join(homedir(), '.mesoscope', 'agents');
}
