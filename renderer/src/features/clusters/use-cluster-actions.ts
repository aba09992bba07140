import type { CallInput, CallName } from '@shared/contract';
import { useMutation } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';

/** A mutation for one cluster call; the list refreshes itself from the host's change events. */
export function useClusterCall<N extends CallName>(name: N) {
  const client = useClient();
  return useMutation({ mutationFn: (input: CallInput<N>) => client.call(name, input) });
}
