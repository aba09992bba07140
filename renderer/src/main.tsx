import '@radix-ui/themes/styles.css';
import './styles.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientContext } from './api/client-context';
import { connect } from './api/connect';
import { App } from './app/App';
import { NoTokenScreen } from './app/NoTokenScreen';

const queryClient = new QueryClient({
  defaultOptions: {
    // Live data arrives as events; refetching on focus would only repeat what the host pushed.
    queries: { refetchOnWindowFocus: false, retry: 1, staleTime: Infinity },
  },
});

const connection = await connect();
const root = createRoot(document.getElementById('root') as HTMLElement);

root.render(
  <StrictMode>
    {'client' in connection ? (
      <ClientContext.Provider value={connection.client}>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </ClientContext.Provider>
    ) : (
      <NoTokenScreen stale={connection.kind === 'stale-token'} />
    )}
  </StrictMode>,
);
