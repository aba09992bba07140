// The HTTP server of one emulated process (libprocess binds one socket per process).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from './router';

export interface Server {
  port: number;
  close(): Promise<void>;
}

export function listen(router: Router, host: string, port: number): Promise<Server> {
  const server = http.createServer(router.listener);
  server.keepAliveTimeout = 5000;
  // Long-lived responses (event streams, agent links) must not be cut by request timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
