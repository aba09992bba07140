import type { z } from 'zod';

/** A request/response call: validated input in, validated output back. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  description: string;
  input: I;
  output: O;
}

/**
 * A subscription: the caller sends params once and receives payloads until it unsubscribes
 * (or its window / socket goes away).
 */
export interface EventSpec<P extends z.ZodType = z.ZodType, T extends z.ZodType = z.ZodType> {
  description: string;
  params: P;
  payload: T;
  /**
   * Set for subscriptions that send many payloads a second, built from data already checked where it
   * entered (say where): the dispatcher then checks their payloads only when asked to (tests do).
   */
  hot?: string;
}

export const defineCall = <I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>) => spec;
export const defineEvent = <P extends z.ZodType, T extends z.ZodType>(spec: EventSpec<P, T>) => spec;
