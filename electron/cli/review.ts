import type { MesoscopeClient } from '@shared/api/client';
import { validateSpec } from '@shared/cluster/spec';
import { formatReview, reviewSpec } from '@shared/cluster/spec-review';

/**
 * `mesoscope up` with a spec that asks for more than the defaults (images of its own, privileged
 * agents, flags): the same review the New cluster dialog shows, printed before anything is created;
 * without --yes nothing is. A spec that fails validation is left to clusters.create, which names each
 * field (unsafe flags without allowUnsafeFlags among them).
 */
export async function reviewBeforeUp(api: MesoscopeClient, spec: unknown, yes: boolean): Promise<{ go: true } | { go: false; code: number }> {
  const validation = validateSpec(spec);
  if (!validation.ok) return { go: true };
  const { settings } = await api.call('settings.get', {});
  const items = reviewSpec(validation.spec, { defaultImages: settings.defaultImages });
  if (items.length === 0) return { go: true };
  const danger = items.filter((i) => i.level === 'danger').length;
  console.error(`This spec asks for more than Mesoscope's defaults${danger ? ` (${danger} marked ! can give its author this machine)` : ''}:\n${formatReview(items)}`);
  if (yes) return { go: true };
  console.error('\nNothing was created. Check the above, then run again with --yes to launch it.');
  return { go: false, code: 2 };
}
