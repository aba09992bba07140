import type { ServiceView } from '../services/schemas';
import type { OutputSearchParamsInput } from './schema';

/**
 * What a search of every task's output covers: the whole cluster, one framework, one agent, or one
 * service (the task ids of its instances, the ones running and the ones before them that the agents
 * may still keep).
 */
export type SearchScope = { kind: 'cluster' } | { kind: 'framework'; id: string } | { kind: 'agent'; id: string } | { kind: 'service'; id: string };

/** The task ids a service has had: its instances now, and every one its history names. */
export function serviceTaskIds(service: ServiceView): string[] {
  const ids = new Set<string>();
  for (const instance of service.instances) if (instance.taskId) ids.add(instance.taskId);
  for (const event of service.history) if (event.taskId) ids.add(event.taskId);
  return [...ids];
}

/** The search parameters for a scope; a service is resolved with its view (undefined: no such service). */
export function scopeParams(scope: SearchScope, services: readonly ServiceView[]): Pick<OutputSearchParamsInput, 'frameworkId' | 'agentId' | 'taskIds'> | undefined {
  switch (scope.kind) {
    case 'cluster':
      return {};
    case 'framework':
      return { frameworkId: scope.id };
    case 'agent':
      return { agentId: scope.id };
    case 'service': {
      const service = services.find((s) => s.spec.id === scope.id);
      // A service with no task yet: an empty list, which matches no file (not the whole cluster).
      return service ? { taskIds: serviceTaskIds(service).slice(-1000) } : undefined;
    }
  }
}
