// Where an executor can be reached back (docs/mesos/faults.md row 14). An executor binds LIBPROCESS_IP (the
// agent passes its own --ip, docs/mesos/api.md §7.1) and advertises LIBPROCESS_ADVERTISE_IP/PORT (else its
// bind address), from the environment the agent builds with --executor_environment_variables; the
// agent answers its registration there. The emulated executor really listens, so a wrong advertised
// address is refused exactly as the real one is: the agent logs the failed ExecutorRegisteredMessage
// and the task stays STAGING. Without LIBPROCESS_* variables there is nothing to get wrong.
import net from 'node:net';
import { connectErrorText } from '../../internal/messages';

/** --executor_environment_variables: a JSON object of strings. */
export function executorEnvironment(flag: string | undefined): Record<string, string> {
  if (!flag) return {};
  try {
    const parsed = JSON.parse(flag) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

export const overridesAddress = (env: Record<string, string>) => Object.keys(env).some((k) => k.startsWith('LIBPROCESS_'));

/** Resolves with no error when the advertised address answers, else with the libprocess error text. */
export async function reachBack(env: Record<string, string>, bindIp: string, agentIp: string): Promise<{ address: string; error?: string }> {
  const server = net.createServer((s) => s.destroy());
  const bind = env.LIBPROCESS_IP ?? bindIp;
  const bound = await new Promise<Error | undefined>((resolve) => {
    server.once('error', resolve);
    server.listen(Number(env.LIBPROCESS_PORT ?? 0), bind, () => resolve(undefined));
  });
  if (bound) return { address: `${bind}:${env.LIBPROCESS_PORT ?? 0}`, error: `Failed to initialize the executor's libprocess on ${bind}: ${bound.message}` };
  try {
    const own = (server.address() as net.AddressInfo).port;
    const ip = env.LIBPROCESS_ADVERTISE_IP ?? (bind === '0.0.0.0' ? agentIp : bind);
    const port = Number(env.LIBPROCESS_ADVERTISE_PORT ?? 0) || own;
    const address = `${ip}:${port}`;
    const error = await new Promise<string | undefined>((resolve) => {
      const socket = net.connect({ host: ip, port, timeout: 2000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(`Failed to connect to ${address}: Connection timed out`);
      });
      socket.once('error', (err) => resolve(connectErrorText({ id: 'executor(1)', ip, port }, err)));
    });
    return { address, error };
  } finally {
    server.close();
  }
}
