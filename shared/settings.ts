import { z } from 'zod';
import { DockerEndpointSchema, DockerEndpointUrlSchema } from './docker';

/** What is stored in the settings file. Every field has a default, so an old file still loads. */
export const SettingsSchema = z.object({
  /** null: use DOCKER_HOST, else the platform's default socket */
  dockerEndpoint: DockerEndpointUrlSchema.nullable().default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z
  .object({
    dockerEndpoint: DockerEndpointUrlSchema.nullable().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Settings as the UI shows them: what is stored, and what is in effect. */
export const SettingsViewSchema = z.object({
  settings: SettingsSchema,
  dockerEndpoint: DockerEndpointSchema,
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;
