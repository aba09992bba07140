import { z } from 'zod';
import { ApiErrorDataSchema, EnvelopeSchema } from '../errors';

/**
 * Messages of the web host's WebSocket. Both ends validate what they receive: the host because the
 * page is untrusted input, the page because a host of another version may speak differently.
 */
const Id = z.number().int().nonnegative();

export const ClientMessageSchema = z.discriminatedUnion('type', [
  // A missing input is the call's business (refused there with the call named), not an unreadable message.
  z.object({ type: z.literal('call'), id: Id, name: z.string(), input: z.unknown().optional() }),
  z.object({ type: z.literal('subscribe'), id: Id, name: z.string(), params: z.unknown().optional() }),
  z.object({ type: z.literal('unsubscribe'), id: Id }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: Id, envelope: EnvelopeSchema }),
  z.object({ type: z.literal('event'), id: Id, payload: z.unknown() }),
  z.object({ type: z.literal('subscription-error'), id: Id, error: ApiErrorDataSchema }),
  /** The host could not read a message at all (not JSON, unknown type). */
  z.object({ type: z.literal('protocol-error'), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** Path of the API socket on the web host; the token goes in the `token` query parameter. */
export const WS_API_PATH = '/api';

/** GET with `Authorization: Bearer <token>`: 204 when the token is this host's, 401 when not. */
export const SESSION_PATH = '/api/session';
