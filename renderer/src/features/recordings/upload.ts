import type { MesoscopeClient } from '@shared/api/client';
import { UPLOAD_CHUNK_BYTES } from '@shared/contract/doctor';

/** Asks for a recording file (the browser's file picker). */
export function pickRecordingFile(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.mesorec,application/gzip';
    input.onchange = () => resolve(input.files?.[0] ?? null);
    input.click();
  });
}

/** Sends a file to the host's recordings folder in pieces (its socket takes messages up to 1 MiB); resolves with its path there. */
export async function uploadRecording(client: MesoscopeClient, file: Blob & { name: string }): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const uploadId = crypto.randomUUID().replace(/-/g, '');
  for (let offset = 0; ; offset += UPLOAD_CHUNK_BYTES) {
    const piece = bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES);
    const last = offset + UPLOAD_CHUNK_BYTES >= bytes.length;
    const { path } = await client.call('recordings.upload', { uploadId, name: file.name, offset, data: toBase64(piece), last });
    if (last) {
      if (!path) throw new Error('The host did not keep the file.');
      return path;
    }
  }
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
