import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { BUNDLE_EXTENSION } from '@shared/bundle/schema';
import { ApiError } from '@shared/errors';
import { RECORDING_EXTENSION } from '@shared/recording/schema';
import { readBundle } from '../../bundle/bundle-reader';
import { bundleBytes, bundleDir, type SupportBundleDeps, writeSupportBundle } from '../../bundle/support-bundle';
import type { DockerService } from '../../docker/docker-service';
import type { DoctorService } from '../../doctor/doctor-service';
import type { ClusterEngine } from '../../engine/cluster-engine';
import type { DownloadHost } from '../../logs/downloads';
import { searchTaskOutput } from '../../logs/output-search';
import type { RecordingService } from '../../recorder/recording-service';
import type { CallHandlers, EventHandlers } from '../dispatcher';
import { mapErrors, toApiError } from '../engine-errors';

/** Search every task's output, and support bundles (shared/contract/questions.ts). */

export interface QuestionDeps {
  engine: Pick<ClusterEngine, 'get'>;
  docker: DockerService;
  doctor: Pick<DoctorService, 'verdicts'>;
  recordings: RecordingService;
  downloads?: DownloadHost;
  /** An attached cluster as a bundle source (undefined for a launched one). */
  attached?: SupportBundleDeps['attached'];
}

const stamp = (t: number) => new Date(t).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export function questionHandlers({ engine, docker, doctor, recordings, downloads, attached }: QuestionDeps): {
  calls: Pick<CallHandlers, 'bundles.open' | 'bundles.download'>;
  events: Pick<EventHandlers, 'logs.searchAll' | 'bundles.export'>;
} {
  const dir = () => bundleDir(recordings.dir);
  return {
    calls: {
      'bundles.open': mapErrors(async ({ path }) => {
        // Its recording goes into the recordings folder, beside the others, to be replayed like them.
        await mkdir(recordings.dir, { recursive: true });
        const recordingPath = join(recordings.dir, `${basename(basename(path, RECORDING_EXTENSION), BUNDLE_EXTENSION).replace(/^[.-]+/, '') || 'bundle'}-bundle${RECORDING_EXTENSION}`);
        const { manifest, hasRecording } = await readBundle(path, recordingPath);
        if (!hasRecording) throw new ApiError('not-found', `${path} holds no recording.mesorec (${manifest.missing.find((m) => m.path === 'recording.mesorec')?.why ?? 'not written'}): its other parts are in the archive.`);
        return { manifest, recording: await recordings.open(recordingPath) };
      }),
      'bundles.download': mapErrors(async ({ path }) => {
        if (!downloads) throw new ApiError('unavailable', 'Downloads need the desktop app or the web host (this API is served in-process).');
        // Only bundles the app wrote: never any file by path.
        if (dirname(resolve(path)) !== resolve(dir()) || !path.endsWith(BUNDLE_EXTENSION)) throw new ApiError('refused', `${path} is not one of the app's support bundles.`);
        const { size } = await stat(path).catch(() => {
          throw new ApiError('not-found', `${path} does not exist (any more).`);
        });
        return downloads.offer({ name: basename(path), size, open: async () => ({ stream: createReadStream(path), size }) });
      }),
    },
    events: {
      'logs.searchAll': async (params, emit, signal) => {
        try {
          await searchTaskOutput({ cluster: (name) => engine.get(name) }, params, emit, signal);
        } catch (err) {
          throw toApiError(err);
        }
      },
      'bundles.export': async ({ cluster, taskOutputMb }, emit, signal) => {
        try {
          const source = await attached?.(cluster);
          if (!source) await engine.get(cluster);
          await mkdir(dir(), { recursive: true });
          const path = join(dir(), `${cluster}-${stamp(Date.now())}${BUNDLE_EXTENSION}`);
          const manifest = await writeSupportBundle(
            {
              docker: () => docker.docker,
              cluster: (name) => engine.get(name),
              verdicts: (name) => doctor.verdicts(name),
              snapshot: (name, file) => recordings.snapshot(name, file),
              attached: async () => source,
            },
            cluster,
            path,
            { taskOutputMb, signal, onProgress: (p) => !signal.aborted && emit(p) },
          );
          if (!signal.aborted) emit({ kind: 'done', path, bytes: await bundleBytes(path), parts: manifest.parts.length, missing: manifest.missing });
        } catch (err) {
          throw toApiError(err);
        }
      },
    },
  };
}
