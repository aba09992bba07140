import { ApiError } from '@shared/errors';

/** The ApiError a call was refused with; a call that succeeds, or fails otherwise, is an error here. */
export async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const err = await call.then(
    () => new Error('the call was not refused'),
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err;
}
