import { z } from 'zod';

export const ImageCheckSchema = z.object({
  image: z.string(),
  present: z.boolean(),
  /** null when unknown (not present and the registry was not asked, or did not answer) */
  architectures: z.array(z.string()).nullable(),
  hostArch: z.string(),
  warning: z.string().nullable(),
  error: z.string().nullable(),
});
export type ImageCheck = z.infer<typeof ImageCheckSchema>;
