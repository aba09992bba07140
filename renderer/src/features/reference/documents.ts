// The project's Mesos notes, bundled into the renderer at build time (the same in Electron and the browser).
import api from '../../../../docs/mesos/api.md?raw';
import faults from '../../../../docs/mesos/faults.md?raw';
import images from '../../../../docs/mesos/images.md?raw';
import type { ReferenceDoc } from './citation';

export const DOCUMENTS: Record<ReferenceDoc, { file: string; title: string; text: string }> = {
  api: { file: 'api.md', title: 'Mesos HTTP APIs', text: api },
  faults: { file: 'faults.md', title: 'What each fault does', text: faults },
  images: { file: 'images.md', title: 'Images', text: images },
};
