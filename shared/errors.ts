import { z } from 'zod';

/** Every error that crosses the API boundary carries one of these codes. */
export const ERROR_CODES = [
  'invalid-input', // the input (or event params) violates the contract's schema
  'unknown-call', // no call or event of that name in the contract
  'forbidden', // the caller is not allowed to use the API (e.g. an untrusted frame)
  'transport', // the connection between renderer and host failed
  'unavailable', // a dependency (Docker, Mesos) cannot be reached
  'not-found', // no such cluster, node or task
  'refused', // valid, but cannot be done now: port in use, name taken, image missing (nothing was changed)
  'failed', // started, but did not complete: a node did not come up (see the message for which and why)
  'internal', // a bug: the handler threw, or produced output the contract does not allow
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ApiErrorDataSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  detail: z.unknown().optional(),
});
export type ApiErrorData = z.infer<typeof ApiErrorDataSchema>;

/** The typed error the renderer (or any client) sees when a call fails. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.detail);
  }

  toData(): ApiErrorData {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

/** What every call returns over a transport: never a thrown error, always an envelope. */
export const EnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorDataSchema }),
]);
export type Envelope = z.infer<typeof EnvelopeSchema>;

export function toErrorData(err: unknown): ApiErrorData {
  if (err instanceof ApiError) return err.toData();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
