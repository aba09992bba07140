import { z } from 'zod';
import { SavedConnectionSchema } from './attach/connection';
import { DockerEndpointSchema, DockerEndpointUrlSchema } from './docker';
import { ImageReferenceSchema } from './image-reference';

/** What is stored in the settings file. Every field has a default, so an old file still loads. */
const ImageRef = ImageReferenceSchema;

/** Images a new cluster uses when its spec names none; unset roles use the built-in defaults. */
export const DefaultImagesSchema = z
  .object({ zookeeper: ImageRef.optional(), master: ImageRef.optional(), agent: ImageRef.optional() })
  .strict();

export const SettingsSchema = z.object({
  /** null: use DOCKER_HOST, else the platform's default socket */
  dockerEndpoint: DockerEndpointUrlSchema.nullable().default(null),
  defaultImages: DefaultImagesSchema.default({}),
  /** Clusters Mesoscope did not start, attached by URL (their secrets are in the secret store, never here). */
  connections: z.array(SavedConnectionSchema).default([]),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z
  .object({
    dockerEndpoint: DockerEndpointUrlSchema.nullable().optional(),
    defaultImages: DefaultImagesSchema.optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Settings as the UI shows them: what is stored, and what is in effect. */
export const SettingsViewSchema = z.object({
  settings: SettingsSchema,
  dockerEndpoint: DockerEndpointSchema,
  /** Where attached clusters' passwords and tokens are kept (never in the settings file). */
  secrets: z.object({ kind: z.enum(['safeStorage', 'file']), where: z.string() }).optional(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;
