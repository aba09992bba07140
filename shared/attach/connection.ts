import { z } from 'zod';
import { DockerEndpointEntrySchema, DockerEndpointsSchema } from './docker-endpoint';

/**
 * A connection to a Mesos cluster Mesoscope did not start ("attached"): where its masters are, how to
 * authenticate (Mesos' HTTP basic authenticator, or a bearer token for an authenticator module), how to
 * trust its TLS, and whether writes (Run, Kill) are allowed. Secrets never travel back out of the host:
 * the UI sees only which kind of credentials a connection has.
 */

/** Same rule as a launched cluster's name, so both live side by side in one list. */
export const ConnectionNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'letters, digits, and . _ - after the first character');

const MasterUrlSchema = z
  .string()
  .max(2048)
  .refine((u) => /^(https?|zk):\/\/[^/\s]+/i.test(u), 'an http://, https:// or zk:// URL');

export const AuthInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('basic'), username: z.string().min(1).max(256).regex(/^[^:]*$/, 'no colon (HTTP basic)'), password: z.string().max(4096) }).strict(),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(16_384) }).strict(),
]);
export type AuthInput = z.infer<typeof AuthInputSchema>;

const FingerprintSchema = z
  .string()
  .transform((s) => s.replace(/[^0-9a-fA-F]/g, '').toUpperCase())
  .refine((hex) => hex.length === 64, 'a SHA-256 fingerprint: 32 bytes in hex')
  .transform((hex) => hex.match(/../g)!.join(':'));

export const TlsSettingsSchema = z
  .object({
    /** A PEM file on this machine holding the CA that signed the cluster's certificates. */
    caFile: z.string().min(1).max(4096).optional(),
    /** Trust exactly this certificate (its SHA-256 fingerprint), whoever signed it. */
    fingerprint256: FingerprintSchema.optional(),
  })
  .strict();
export type TlsSettings = z.infer<typeof TlsSettingsSchema>;

export const ConnectionInputSchema = z
  .object({
    name: ConnectionNameSchema,
    /** One or more master URLs (http, https), or one zk:// URL (the leader is found in ZooKeeper). */
    masters: z.array(MasterUrlSchema).min(1).max(9),
    auth: AuthInputSchema.default({ kind: 'none' }),
    tls: TlsSettingsSchema.optional(),
    writes: z.boolean().default(false),
    /** Docker endpoints of its agents (by hostname, or `*`): the doctor's Docker evidence comes from there. */
    dockerEndpoints: DockerEndpointsSchema.optional(),
  })
  .strict();
export type ConnectionInput = z.input<typeof ConnectionInputSchema>;

/** What is stored in settings.json: everything but the secret (that is in the secret store). */
export const SavedConnectionSchema = z.object({
  name: ConnectionNameSchema,
  masters: z.array(z.string()),
  zk: z.string().optional(),
  auth: z.object({ kind: z.enum(['none', 'basic', 'bearer']), username: z.string().optional() }),
  tls: TlsSettingsSchema.optional(),
  writes: z.boolean(),
  dockerEndpoints: z.array(DockerEndpointEntrySchema).optional(),
  addedAt: z.string(),
});
export type SavedConnection = z.infer<typeof SavedConnectionSchema>;

/** An attached cluster as the UI and the CLI see it. */
export const AttachedClusterSchema = SavedConnectionSchema.extend({
  kind: z.literal('attached'),
  /** Where its secret is kept: Electron's safeStorage (the OS keychain) or a 0600 file (the web host, the CLI). */
  secretStorage: z.object({ kind: z.enum(['safeStorage', 'file']), where: z.string() }),
});
export type AttachedCluster = z.infer<typeof AttachedClusterSchema>;

/** Why a connection was refused: each its own words (AttachError's detail). */
export const AttachFailureSchema = z.object({
  reason: z.enum(['unauthorized', 'unreachable', 'not-mesos', 'tls', 'name-taken', 'no-leader']),
  url: z.string().optional(),
  /** For `tls`: the certificate the server presented, to trust it on purpose. */
  fingerprint256: z.string().optional(),
});
export type AttachFailure = z.infer<typeof AttachFailureSchema>;

/** A Docker endpoint of an attached cluster's agents, as followed now (the doctor's Docker evidence). */
export const DockerEndpointStatusSchema = z.object({
  url: z.string(),
  /** The agents (node index) whose task containers are looked for there. */
  agents: z.array(z.number().int()),
  state: z.enum(['connecting', 'following', 'unreachable']),
  message: z.string(),
  /** Agents whose work dir is unknown (their containers cannot be claimed). */
  problems: z.array(z.string()),
});
export type DockerEndpointStatus = z.infer<typeof DockerEndpointStatusSchema>;
