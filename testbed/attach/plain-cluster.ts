import { execFile } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * A Mesos cluster Mesoscope did not start (plain-cluster.sh): for the attach tests. Its ports are a
 * block found free on 127.0.0.1 (masters base..base+2, agents base+10 and +11); `down()` removes
 * exactly what the script made (its own label).
 */

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./plain-cluster.sh', import.meta.url));
export const PLAIN_PRINCIPAL = 'ops';
export const PLAIN_SECRET = 'plain-secret-3141';

export interface PlainCluster {
  name: string;
  masters: string[];
  agents: string[];
  /** The container of the master listening on that URL's port. */
  masterContainer(url: string): string;
  down(): Promise<void>;
}

const free = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 900) * 10 + (attempt % 2) * 5000;
    const ports = [base, base + 1, base + 2, base + 10, base + 11];
    if ((await Promise.all(ports.map(free))).every(Boolean)) return base;
  }
  throw new Error('no free block of ports on 127.0.0.1 for the plain cluster');
}

export async function startPlainCluster(name: string, image: string, options: { ha?: boolean; docker?: boolean } = {}): Promise<PlainCluster> {
  const base = await freeBase();
  const env = { ...process.env, PLAIN_PRINCIPAL, PLAIN_SECRET };
  const down = async () => void (await run('bash', [SCRIPT, 'down', name], { env }));
  await down();
  try {
    await run('bash', [SCRIPT, 'up', name, image, String(base), ...(options.ha ? ['--ha'] : []), ...(options.docker ? ['--docker'] : [])], { env, timeout: 120_000 });
  } catch (err) {
    await down();
    throw err;
  }
  const count = options.ha ? 3 : 1;
  const masters = Array.from({ length: count }, (_, i) => `http://127.0.0.1:${base + i}`);
  return {
    name,
    masters,
    agents: [`http://127.0.0.1:${base + 10}`, `http://127.0.0.1:${base + 11}`],
    masterContainer: (url) => `${name}-master${Number(new URL(url).port) - base + 1}`,
    down,
  };
}
