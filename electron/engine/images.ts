import type Dockerode from 'dockerode';

export type PullPolicy = 'always' | 'if-missing' | 'never';

export interface PullProgress {
  image: string;
  current: number;
  total: number;
  layers: Record<string, { status: string; current: number; total: number }>;
}

export class ImageError extends Error {
  override readonly name = 'ImageError';
}

export async function imagePresent(docker: Dockerode, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/**
 * Makes the image available as the pull policy says: `never` refuses a missing image, `if-missing`
 * pulls only what is absent, `always` pulls. Pulls report bytes per layer and stop at the timeout.
 */
export async function ensureImage(
  docker: Dockerode,
  image: string,
  policy: PullPolicy,
  options: { timeoutMs?: number; onProgress?: (p: PullProgress) => void } = {},
): Promise<'present' | 'pulled'> {
  const present = await imagePresent(docker, image);
  if (present && policy !== 'always') return 'present';
  if (!present && policy === 'never') {
    throw new ImageError(`Image ${image} is not present and the pull policy is "never": build or pull it first, or change pullPolicy.`);
  }
  await pullImage(docker, image, options);
  return 'pulled';
}

export async function pullImage(
  docker: Dockerode,
  image: string,
  { timeoutMs = 10 * 60_000, onProgress }: { timeoutMs?: number; onProgress?: (p: PullProgress) => void } = {},
): Promise<void> {
  const layers: PullProgress['layers'] = {};
  const stream = await docker.pull(image).catch((err: unknown) => {
    throw new ImageError(describePullError(image, err));
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(new ImageError(`Pulling ${image} took longer than ${Math.round(timeoutMs / 1000)} s; stopped.`));
    }, timeoutMs);
    docker.modem.followProgress(
      stream,
      (err: unknown) => {
        clearTimeout(timer);
        if (err) reject(new ImageError(describePullError(image, err)));
        else resolve();
      },
      (event: { id?: string; status?: string; progressDetail?: { current?: number; total?: number } }) => {
        if (!event.id || !onProgress) return;
        const previous = layers[event.id];
        layers[event.id] = {
          status: event.status ?? '',
          current: event.progressDetail?.current ?? (event.status === 'Pull complete' ? (previous?.total ?? 0) : (previous?.current ?? 0)),
          total: event.progressDetail?.total ?? previous?.total ?? 0,
        };
        const all = Object.values(layers);
        onProgress({
          image,
          current: all.reduce((sum, l) => sum + l.current, 0),
          total: all.reduce((sum, l) => sum + l.total, 0),
          layers: { ...layers },
        });
      },
    );
  });
}

function describePullError(image: string, err: unknown): string {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
  if (/manifest unknown|not found|does not exist/i.test(message)) {
    return `Image ${image} was not found in its registry (${firstLine(message)}).`;
  }
  if (/connection refused|no such host|i\/o timeout|dial tcp|TLS handshake/i.test(message)) {
    return `Could not reach the registry of ${image}: ${firstLine(message)}`;
  }
  return `Pulling ${image} failed: ${firstLine(message)}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim() ?? text;
}
