import type { CallInput } from '@shared/contract';
import { useMutation } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';
import { deliverDownload } from '../../api/deliver-download';

/** Download a sandbox file (in the browser, or to where the desktop app's save dialog said). */
export function useDownload() {
  const client = useClient();
  return useMutation({
    mutationFn: async (file: CallInput<'logs.download'>) => deliverDownload(await client.call('logs.download', file)),
  });
}
