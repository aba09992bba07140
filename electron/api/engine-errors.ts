import { ApiError } from '@shared/errors';
import { SpecError, UnknownCluster } from '../engine/cluster-engine';
import { ImageError } from '../engine/images';
import { LaunchError } from '../engine/launcher';
import { PortInUse } from '../engine/port-allocation';
import { PreflightError } from '../engine/preflight';

const DOCKER_AWAY = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

function firstLine(text: string): string {
  return text.split('\n')[0]?.replace(/^\(HTTP code \d+\) [^-]*- /, '') ?? text;
}

/** The engine's errors as the API's: a bad spec, an unknown cluster, a refusal, a failed launch. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof SpecError) return new ApiError('invalid-input', err.message);
  if (err instanceof UnknownCluster) return new ApiError('not-found', err.message);
  if (err instanceof PreflightError || err instanceof PortInUse || err instanceof ImageError) return new ApiError('refused', err.message);
  if (err instanceof LaunchError) return new ApiError('failed', err.message, { node: err.node, logLines: err.logLines });
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e.code && DOCKER_AWAY.has(e.code)) return new ApiError('unavailable', `Docker is not reachable (${e.code}): ${e.message ?? ''}`.trim());
  // 304: already in that state (started, stopped); 409: conflicts with the container's state.
  if (e.statusCode === 304) return new ApiError('refused', 'Nothing to do: the container is in that state already.');
  if (e.statusCode === 409) return new ApiError('refused', firstLine(e.message ?? 'Docker refused: conflict'));
  return new ApiError('internal', err instanceof Error ? err.message : String(err));
}

/** Wrap a handler so whatever it throws reaches the caller as a typed API error. */
export function mapErrors<A, R>(handler: (args: A) => Promise<R>): (args: A) => Promise<R> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (err) {
      throw toApiError(err);
    }
  };
}
