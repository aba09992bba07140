import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { BUNDLE_RECORDING, type BundleManifest, BundleManifestSchema } from '@shared/bundle/schema';
import { ApiError } from '@shared/errors';
import { READ_LIMITS } from '../recorder/reader';

/**
 * Reads a support bundle from anywhere (one someone sent): its manifest, and its recording written to
 * `recordingPath` for the replay. Within limits, as a recording is read: the file is a regular file no
 * bigger than a recording may be, and only the two entries needed are kept (each bounded).
 */

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export async function readBundle(path: string, recordingPath: string): Promise<{ manifest: BundleManifest; hasRecording: boolean }> {
  const info = await lstat(path).catch(() => {
    throw new ApiError('not-found', `${path} does not exist.`);
  });
  if (!info.isFile()) throw new ApiError('invalid-input', `${path} is not a regular file.`);
  if (info.size > READ_LIMITS.fileBytes) throw new ApiError('invalid-input', `${path} is ${info.size} bytes; a bundle is read up to ${READ_LIMITS.fileBytes}.`);

  let manifestText: string | undefined;
  let hasRecording = false;
  const extract = tarExtract();
  extract.on('entry', (header, stream, next) => {
    const done = (err?: unknown) => (err ? extract.destroy(err as Error) : next());
    if (header.type === 'file' && header.name === 'manifest.json') {
      if ((header.size ?? 0) > MAX_MANIFEST_BYTES) return done(new ApiError('invalid-input', `manifest.json is ${header.size} bytes: not a Mesoscope bundle.`));
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => ((manifestText = Buffer.concat(chunks).toString('utf8')), done()));
      stream.on('error', done);
      return;
    }
    if (header.type === 'file' && header.name === BUNDLE_RECORDING) {
      hasRecording = true;
      pipeline(stream, createWriteStream(recordingPath)).then(() => done(), done);
      return;
    }
    stream.on('end', () => done());
    stream.resume();
  });
  try {
    await pipeline(createReadStream(path), createGunzip(), extract);
  } catch (err) {
    await rm(recordingPath, { force: true });
    if (err instanceof ApiError) throw err;
    throw new ApiError('invalid-input', `${path} is not a readable .tar.gz: ${(err as Error).message}`);
  }
  if (manifestText === undefined) {
    await rm(recordingPath, { force: true });
    throw new ApiError('invalid-input', `${path} has no manifest.json: not a Mesoscope support bundle.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestText);
  } catch (err) {
    throw new ApiError('invalid-input', `manifest.json of ${path} is not JSON: ${(err as Error).message}`);
  }
  const manifest = BundleManifestSchema.safeParse(parsed);
  if (!manifest.success) throw new ApiError('invalid-input', `manifest.json of ${path} is not a Mesoscope bundle's: ${manifest.error.issues[0]?.message ?? 'invalid'}`);
  const [major] = manifest.data.formatVersion.split('.');
  if (major !== '1') throw new ApiError('invalid-input', `${path} is a bundle of format ${manifest.data.formatVersion}; this Mesoscope reads 1.x.`);
  return { manifest: manifest.data, hasRecording };
}
