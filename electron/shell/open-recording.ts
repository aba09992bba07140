import type { BrowserWindow, Dialog } from 'electron';
import { RECORDING_EXTENSION } from '@shared/recording/schema';

/** The desktop app's way to pick a recording: the system open dialog (the renderer never browses the disk). */
export function openRecordingDialog(dialog: Pick<Dialog, 'showOpenDialog'>, window: () => BrowserWindow | undefined): () => Promise<string | null> {
  return async () => {
    const options = {
      title: 'Open a recording',
      properties: ['openFile' as const],
      filters: [
        { name: 'Mesoscope recordings', extensions: [RECORDING_EXTENSION.slice(1)] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const win = window();
    const choice = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return choice.canceled ? null : (choice.filePaths[0] ?? null);
  };
}
