import type Dockerode from 'dockerode';
import type { ImageCheck } from '@shared/images';

/** Docker reports the host's machine name; images are labelled with Go's architecture names. */
export function goArch(machine: string): string {
  return ({ x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm' } as Record<string, string>)[machine] ?? machine;
}

/**
 * Which architectures an image is built for: from the local image, or — only when `askRegistry` —
 * from its registry's manifest list (no pull). A mismatch with the host is worth a warning: on Apple
 * silicon an amd64-only Mesos image runs emulated, slowly, if at all.
 */
export async function checkImage(docker: Dockerode, image: string, hostArch: string, askRegistry: boolean): Promise<ImageCheck> {
  let present = false;
  let architectures: string[] | null = null;
  let error: string | null = null;
  try {
    architectures = [(await docker.getImage(image).inspect()).Architecture];
    present = true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) error = (err as Error).message;
  }
  if (!present && askRegistry) {
    try {
      const manifest = (await docker.getImage(image).distribution()) as { Platforms?: { architecture: string }[] };
      architectures = [...new Set((manifest.Platforms ?? []).map((p) => p.architecture))];
    } catch (err) {
      error = ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message).split('\n')[0] ?? null;
    }
  }
  const warning =
    architectures && architectures.length > 0 && !architectures.includes(hostArch)
      ? `${image} is built for ${architectures.join(', ')} only; this Docker engine is ${hostArch}, so it runs emulated (slowly) or not at all.`
      : null;
  return { image, present, architectures, hostArch, warning, error };
}
