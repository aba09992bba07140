import type { CallInput } from '@shared/contract';
import { useMutation } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';

/**
 * Download a sandbox file. The web host answers with a one-time URL on itself, fetched here as a
 * download; the desktop app has already asked where to save it (its outcome is `saved`).
 */
export function useDownload() {
  const client = useClient();
  return useMutation({
    mutationFn: async (file: CallInput<'logs.download'>) => {
      const outcome = await client.call('logs.download', file);
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
    },
  });
}
