import type { MesoscopeClient } from '@shared/api/client';
import type { ConnectionState } from '@shared/api/transport';
import { createContext, useContext, useSyncExternalStore } from 'react';

export const ClientContext = createContext<MesoscopeClient | null>(null);

export function useClient(): MesoscopeClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}

export function useConnectionState(): ConnectionState {
  const client = useClient();
  return useSyncExternalStore(client.onConnectionState, client.connectionState);
}
