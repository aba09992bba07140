import { z } from 'zod';
import { defineCall } from './define';

/** Mesos itself, as a script asks it (`mesoscope state`). */
export const mesosCalls = {
  'mesos.state': defineCall({
    description: "The leading master's /master/state, as it answers it (found through any master; a standby redirects).",
    input: z.object({ cluster: z.string().min(1).max(64) }).strict(),
    output: z.record(z.string(), z.unknown()),
  }),
} as const;
