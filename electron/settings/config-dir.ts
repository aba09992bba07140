import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Mesoscope keeps its settings: MESOSCOPE_CONFIG_DIR if set, else the folder Electron uses as
 * userData for an app named "Mesoscope", so the desktop app and the web host share one settings file.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MESOSCOPE_CONFIG_DIR) return env.MESOSCOPE_CONFIG_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Mesoscope');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Mesoscope');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Mesoscope');
}
