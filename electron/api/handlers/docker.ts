import type { DockerService } from '../../docker/docker-service';
import { checkImage, goArch } from '../../docker/image-platforms';
import { inspectTaskContainer } from '../../docker/task-container';
import type { CallHandlers, EventHandlers } from '../dispatcher';
import { mapErrors } from '../engine-errors';

export function dockerHandlers(docker: DockerService): {
  calls: Pick<CallHandlers, 'docker.status' | 'images.check' | 'tasks.container'>;
  events: Pick<EventHandlers, 'docker.statusChanged'>;
} {
  return {
    calls: {
      'docker.status': () => docker.status(),
      'images.check': mapErrors(async ({ images, askRegistry }) => {
        const hostArch = goArch(((await docker.docker.info()) as { Architecture?: string }).Architecture ?? '');
        return Promise.all(images.map((image) => checkImage(docker.docker, image, hostArch, askRegistry)));
      }),
      'tasks.container': mapErrors(({ containerId }) => inspectTaskContainer(docker.docker, containerId)),
    },
    events: {
      'docker.statusChanged': (_params, emit, signal) => {
        const unsubscribe = docker.watcher.subscribe(emit);
        signal.addEventListener('abort', unsubscribe, { once: true });
      },
    },
  };
}
