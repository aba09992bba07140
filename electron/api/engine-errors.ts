import { ApiError } from '@shared/errors';
import { SpecError, UnknownCluster } from '../engine/cluster-engine';
import { ImageError } from '../engine/images';
import { LaunchError } from '../engine/launcher';
import { PortInUse } from '../engine/port-allocation';
import { PreflightError } from '../engine/preflight';

/** The engine's errors as the API's: a bad spec, an unknown cluster, a refusal, a failed launch. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof SpecError) return new ApiError('invalid-input', err.message);
  if (err instanceof UnknownCluster) return new ApiError('not-found', err.message);
  if (err instanceof PreflightError || err instanceof PortInUse || err instanceof ImageError) return new ApiError('refused', err.message);
  if (err instanceof LaunchError) return new ApiError('failed', err.message, { node: err.node, logLines: err.logLines });
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
