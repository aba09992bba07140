import type { ClusterSpec } from '@shared/cluster/spec';
import { specToText } from '@shared/cluster/spec-text';

/** Save a cluster's spec as a file (a download in the browser; Electron asks where to save it). */
export function downloadSpec(spec: ClusterSpec, format: 'json' | 'yaml'): void {
  const type = format === 'json' ? 'application/json' : 'application/yaml';
  const url = URL.createObjectURL(new Blob([specToText(spec, format)], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${spec.name}.${format === 'json' ? 'json' : 'yaml'}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Ask for a spec file and return its text. */
export function pickSpecFile(): Promise<string | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.yaml,.yml,.json,application/json,application/yaml';
    input.onchange = () => {
      const file = input.files?.[0];
      if (!file) resolve(null);
      else void file.text().then(resolve);
    };
    input.click();
  });
}
