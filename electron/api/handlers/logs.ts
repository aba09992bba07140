import { ApiError } from '@shared/errors';
import type { DownloadHost } from '../../logs/downloads';
import type { LogService } from '../../logs/log-service';
import type { LogStreams } from '../../logs/log-streams';
import type { CallHandlers, EventHandlers } from '../dispatcher';
import { mapErrors, toApiError } from '../engine-errors';

type LogCalls = Pick<CallHandlers, 'logs.nodes' | 'logs.sandbox' | 'logs.browse' | 'logs.read' | 'logs.search' | 'logs.ack' | 'logs.download'>;

export function logHandlers(
  logs: LogService,
  streams: LogStreams,
  downloads: DownloadHost | undefined,
): { calls: LogCalls; events: Pick<EventHandlers, 'logs.follow'> } {
  return {
    calls: {
      'logs.nodes': mapErrors(({ cluster }) => logs.nodes(cluster)),
      'logs.sandbox': mapErrors(({ cluster, taskId, frameworkId, agentId }) => logs.sandbox(cluster, taskId, frameworkId, agentId)),
      'logs.browse': mapErrors(({ cluster, agentId, path }) => logs.browse(cluster, agentId, path)),
      'logs.read': mapErrors(({ source, from, before, maxBytes }) =>
        logs.read(source, from !== undefined ? { from } : { before: before ?? -1 }, maxBytes),
      ),
      'logs.search': mapErrors(({ source, ...options }) => logs.search(source, options)),
      'logs.ack': async ({ streamId, bytes }) => {
        streams.ack(streamId, bytes);
        return {};
      },
      'logs.download': mapErrors(async ({ cluster, agentId, path }) => {
        if (!downloads) throw new ApiError('unavailable', 'Downloads need the desktop app or the web host (this API is served in-process).');
        return downloads.offer(await logs.download(cluster, agentId, path));
      }),
    },
    events: {
      'logs.follow': async (params, emit, signal) => {
        try {
          await logs.follow(params, emit, signal);
        } catch (err) {
          throw toApiError(err);
        }
      },
    },
  };
}
