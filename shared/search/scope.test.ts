import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../services/schemas';
import { scopeParams, serviceTaskIds } from './scope';

const service = (id: string, instanceTasks: Array<string | undefined>, historyTasks: string[]): ServiceView =>
  ({
    spec: { id },
    instances: instanceTasks.map((taskId, i) => ({ slot: i + 1, ports: [], state: 'TASK_RUNNING', ...(taskId ? { taskId } : {}) })),
    backoffMs: 1000,
    removing: false,
    history: historyTasks.map((taskId) => ({ at: 0, kind: 'ended', taskId, text: '' })),
  }) as unknown as ServiceView;

describe('search scope', () => {
  it("a service is its instances' task ids and the ones its history names (relaunched ones), once each", () => {
    expect(serviceTaskIds(service('web', ['web-a', undefined], ['web-old', 'web-a']))).toEqual(['web-a', 'web-old']);
  });

  it('maps each scope to the search parameters; a missing service is undefined, one without tasks matches none', () => {
    const services = [service('web', ['web-a'], []), service('idle', [undefined], [])];
    expect(scopeParams({ kind: 'cluster' }, services)).toEqual({});
    expect(scopeParams({ kind: 'framework', id: 'f1' }, services)).toEqual({ frameworkId: 'f1' });
    expect(scopeParams({ kind: 'agent', id: 'agent-2' }, services)).toEqual({ agentId: 'agent-2' });
    expect(scopeParams({ kind: 'service', id: 'web' }, services)).toEqual({ taskIds: ['web-a'] });
    expect(scopeParams({ kind: 'service', id: 'idle' }, services)).toEqual({ taskIds: [] });
    expect(scopeParams({ kind: 'service', id: 'gone' }, services)).toBeUndefined();
  });
});
