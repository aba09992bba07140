import { ApiError } from '@shared/errors';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DoctorService } from '../../doctor/doctor-service';
import type { DownloadHost } from '../../logs/downloads';
import type { RecordingService } from '../../recorder/recording-service';
import type { CallHandlers } from '../dispatcher';
import { mapErrors } from '../engine-errors';

type DoctorCalls = Pick<
  CallHandlers,
  | 'doctor.diagnose'
  | 'doctor.verdicts'
  | 'doctor.applyFix'
  | 'recordings.start'
  | 'recordings.stop'
  | 'recordings.mark'
  | 'recordings.list'
  | 'recordings.open'
  | 'recordings.stateAt'
  | 'recordings.diagnose'
  | 'recordings.close'
  | 'recordings.upload'
  | 'recordings.choose'
  | 'recordings.download'
  | 'recordings.remove'
>;

/** The task doctor and the flight recorder (shared/contract/doctor.ts). */
export function doctorHandlers(doctor: DoctorService, recordings: RecordingService, downloads?: DownloadHost): DoctorCalls {
  return {
    'doctor.diagnose': mapErrors(({ cluster, taskKey }) => doctor.diagnose(cluster, taskKey)),
    'doctor.verdicts': mapErrors(({ cluster }) => doctor.verdicts(cluster)),
    'doctor.applyFix': mapErrors(async ({ cluster, change, action, agent }) => {
      recordings.mark(cluster, `Fix applied: ${change.path}`, `${action}${agent ? ` of agent ${agent}` : ''}: ${change.suggested ?? 'removed'}`);
      // Re-creating destroys the cluster: its recording ends first, with the mark in it.
      if (action === 'recreate-cluster') await recordings.stop(cluster, 'cluster re-created').catch(() => undefined);
      return doctor.applyFix(cluster, change, action, agent);
    }),
    'recordings.start': mapErrors(({ cluster, path }) => recordings.start(cluster, path)),
    'recordings.stop': mapErrors(({ cluster }) => recordings.stop(cluster)),
    'recordings.mark': mapErrors(async ({ cluster, label, detail }) => {
      if (!recordings.mark(cluster, label, detail)) throw new ApiError('not-found', `Cluster "${cluster}" is not being recorded.`);
      return {};
    }),
    'recordings.list': mapErrors(async () => ({ dir: recordings.dir, files: await recordings.list(), active: recordings.activeRecordings() })),
    'recordings.open': mapErrors(({ path }) => recordings.open(path)),
    'recordings.stateAt': mapErrors(async ({ id, t }) => recordings.stateAt(id, t)),
    'recordings.diagnose': mapErrors(async ({ id, t, taskKey }) => recordings.diagnose(id, t, taskKey)),
    'recordings.close': mapErrors(async ({ id }) => {
      recordings.close(id);
      return {};
    }),
    'recordings.upload': mapErrors((input) => recordings.upload(input)),
    'recordings.choose': mapErrors(async () => ({ path: await recordings.choose() })),
    'recordings.download': mapErrors(async ({ path }) => {
      if (!downloads) throw new ApiError('unavailable', 'Downloads need the desktop app or the web host (this API is served in-process).');
      // Only recordings the app knows (its folder, or one it writes or opened): never any file by path.
      if (!recordings.isKnownFile(path)) throw new ApiError('refused', `${path} is not one of the app's recordings.`);
      const { size } = await stat(path).catch(() => {
        throw new ApiError('not-found', `${path} does not exist (any more).`);
      });
      return downloads.offer({ name: basename(path), size, open: async () => ({ stream: createReadStream(path), size }) });
    }),
    'recordings.remove': mapErrors(async ({ path }) => {
      await recordings.remove(path);
      return {};
    }),
  };
}
