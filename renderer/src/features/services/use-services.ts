import type { ServicesView } from '@shared/services/schemas';
import { useEffect, useState } from 'react';
import { useClient } from '../../api/client-context';

/** The cluster's services (`services.view`), pushed on every change; null until the first view of this cluster. */
export function useServices(cluster: string): { view: ServicesView | null; error: Error | null } {
  const client = useClient();
  const [state, setState] = useState<{ cluster: string; view: ServicesView | null; error: Error | null }>({ cluster, view: null, error: null });
  useEffect(
    () =>
      client.subscribe(
        'services.view',
        { cluster },
        (view) => setState({ cluster, view, error: null }),
        (error) => setState((s) => ({ ...s, cluster, error })),
      ),
    [client, cluster],
  );
  return state.cluster === cluster ? state : { view: null, error: null };
}
