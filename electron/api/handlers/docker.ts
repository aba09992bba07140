import type { DockerService } from '../../docker/docker-service';
import type { CallHandlers, EventHandlers } from '../dispatcher';

export function dockerHandlers(docker: DockerService): { calls: Pick<CallHandlers, 'docker.status'>; events: Pick<EventHandlers, 'docker.statusChanged'> } {
  return {
    calls: { 'docker.status': () => docker.status() },
    events: {
      'docker.statusChanged': (_params, emit, signal) => {
        const unsubscribe = docker.watcher.subscribe(emit);
        signal.addEventListener('abort', unsubscribe, { once: true });
      },
    },
  };
}
