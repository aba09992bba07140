import type { DownloadOutcome } from '@shared/logs/schema';

/**
 * Finishes a download the API prepared (`logs.download`, `recordings.download`): the web host answers
 * with a one-time URL on itself, fetched here as a download; the desktop app has already asked where
 * to save the file (its outcome is `saved`), so there is nothing left to do.
 */
export function deliverDownload(outcome: DownloadOutcome): DownloadOutcome {
  if (outcome.kind === 'url') {
    const link = document.createElement('a');
    link.href = outcome.url;
    link.download = outcome.name;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  }
  return outcome;
}
