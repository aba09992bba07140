import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BrowserWindow, Dialog } from 'electron';
import type { DownloadOutcome } from '@shared/logs/schema';
import type { DownloadableFile, DownloadHost } from '../logs/downloads';

/**
 * Downloads in the desktop app: the save dialog, then the file's bytes streamed from the agent to the
 * path chosen. The renderer never sees the path before the user picked it, nor any file system.
 */
export function saveDialogDownloads(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  options: { window: () => BrowserWindow | undefined; downloadsDir: () => string },
): DownloadHost {
  return {
    async offer(file: DownloadableFile): Promise<DownloadOutcome> {
      const win = options.window();
      const dialogOptions = { defaultPath: join(options.downloadsDir(), file.name), title: `Save ${file.name}` };
      const choice = win ? await dialog.showSaveDialog(win, dialogOptions) : await dialog.showSaveDialog(dialogOptions);
      if (choice.canceled || !choice.filePath) return { kind: 'cancelled' };
      const { stream } = await file.open();
      await pipeline(stream, createWriteStream(choice.filePath));
      return { kind: 'saved', path: choice.filePath };
    },
  };
}
