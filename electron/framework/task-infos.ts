import type { TaskInfo } from '@shared/mesos/scheduler';
import type { RunRequest } from '@shared/runs/schemas';

/**
 * A run as TaskInfos (docs/mesos/api.md §3.4): resources, the command (shell or the image's entrypoint, §0.15),
 * environment, fetcher URIs, and a DOCKER container when there is an image (else the Mesos
 * containerizer runs the command). Pure.
 */

export const RUN_LABEL = 'io.mesoscope.run';

const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });

export function taskId(name: string, runId: string, instance: number, instances: number): string {
  return instances === 1 ? `${name}-${runId}` : `${name}-${runId}-${instance}`;
}

export function commandInfo(req: Pick<RunRequest, 'entrypoint' | 'command' | 'env' | 'uris'>): Record<string, unknown> {
  const variables = Object.entries(req.env).map(([name, value]) => ({ name, value }));
  const base = {
    ...(variables.length ? { environment: { variables } } : {}),
    ...(req.uris.length ? { uris: req.uris.map((u) => ({ value: u.value, executable: u.executable, extract: u.extract })) } : {}),
  };
  if (req.entrypoint === 'shell') return { ...base, shell: true, value: req.command };
  // shell:false keeps the image's entrypoint; the arguments follow it (one per line in the dialog).
  const args = req.command.split('\n').map((a) => a.trim()).filter(Boolean);
  return { ...base, shell: false, ...(args.length ? { arguments: args } : {}) };
}

export function taskInfo(req: RunRequest, id: string, runId: string, agentId: string): TaskInfo {
  return {
    name: req.name,
    task_id: { value: id },
    agent_id: { value: agentId },
    resources: [scalar('cpus', req.cpus), scalar('mem', req.mem)],
    command: commandInfo(req),
    ...(req.image ? { container: { type: 'DOCKER', docker: { image: req.image, network: 'HOST', force_pull_image: false } } } : {}),
    labels: { labels: [{ key: RUN_LABEL, value: runId }] },
  };
}
