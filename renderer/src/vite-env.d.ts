/// <reference types="vite/client" />
import type { MesoscopeBridge } from '@shared/api/bridge';

declare global {
  interface Window {
    /** Present only in the Electron window (exposed by the preload). */
    mesoscope?: MesoscopeBridge;
  }
}
