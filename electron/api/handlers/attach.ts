import type { ConnectionInput, DockerEndpointStatus } from '@shared/attach/connection';
import type { AgentReach } from '@shared/contract/attach';
import type { AttachService } from '../../attach/attach-service';
import type { CallHandlers, EventHandlers } from '../dispatcher';
import { mapErrors } from '../engine-errors';

export function attachHandlers(
  attach: AttachService,
  onRemoved: (name: string) => Promise<void>,
  agentReach: (name: string) => Promise<AgentReach[]>,
  dockerStatus: (name: string) => DockerEndpointStatus[],
): { calls: Pick<CallHandlers, 'attach.list' | 'attach.add' | 'attach.remove' | 'attach.setWrites' | 'attach.agents' | 'attach.docker'>; events: Pick<EventHandlers, 'attach.changed'> } {
  return {
    calls: {
      'attach.list': mapErrors(() => attach.list()),
      // The host parses the connection itself (AttachService.add): its errors name the field.
      'attach.add': mapErrors(({ connection }) => attach.add(connection as ConnectionInput)),
      'attach.remove': mapErrors(async ({ name }) => {
        await attach.remove(name);
        await onRemoved(name);
        return {};
      }),
      'attach.setWrites': mapErrors(({ name, writes }) => attach.setWrites(name, writes)),
      'attach.agents': mapErrors(async ({ name }) => {
        await attach.get(name); // not-found for a name that is not attached
        return agentReach(name);
      }),
      'attach.docker': mapErrors(async ({ name }) => {
        await attach.get(name);
        return dockerStatus(name);
      }),
    },
    events: {
      'attach.changed': (_params, emit, signal) => {
        const publish = () => void attach.list().then((list) => signal.aborted || emit(list), () => undefined);
        const stop = attach.onChange(publish);
        signal.addEventListener('abort', stop, { once: true });
        publish();
      },
    },
  };
}
