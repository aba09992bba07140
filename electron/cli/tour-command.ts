import type { MesoscopeClient } from '@shared/api/client';
import type { TourState } from '@shared/contract/tours';
import { ClusterSession } from '../scripting/cluster-session';
import { type Command, EXIT, UsageError } from './command';

/**
 * `mesoscope tour NAME`: a guided tour from a terminal, through the same TourService the app drives
 * (tours.* over the in-process API). Each scene: its narration, its action, its outcome or the doctor's word.
 */
export const tour: Command = {
  name: 'tour',
  args: '[NAME]',
  summary: 'Run a guided tour: each scene narrated, acted and its outcome checked (no NAME: the list).',
  help: `Without --step the scenes follow each other; with --step each waits for Enter. The tour launches its own
cluster (tour-NAME, or --cluster) and removes it at the end unless --keep. --record FILE records the
session from the cluster's launch (replay it like any recording). Exits 0 when every scene's outcome came,
5 when one did not (the doctor's word is printed), 1 when an action failed.`,
  example: 'mesoscope tour\nmesoscope tour agent-dies --task-image busybox:1.36 --record demo.mesorec',
  options: {
    cluster: { type: 'string' },
    'task-image': { type: 'string' },
    'service-image': { type: 'string' },
    keep: { type: 'boolean', default: false },
    step: { type: 'boolean', default: false },
    record: { type: 'string' },
  },
  optionHelp: { cluster: 'NAME', 'task-image': 'IMAGE', 'service-image': 'IMAGE', record: 'FILE' },
  async run(ctx) {
    const api = await ctx.api();
    const name = ctx.positionals[0];
    if (!name) {
      const list = await api.call('tours.list', {});
      if (ctx.json) console.log(JSON.stringify(list, null, 2));
      else for (const t of list) console.log(`${t.id.padEnd(24)} ${t.title} (${t.scenes} scenes, ${t.masters} master${t.masters > 1 ? 's' : ''}, ${t.agents} agents)\n${' '.repeat(25)}${t.summary}`);
      return EXIT.ok;
    }
    if (!(await api.call('tours.list', {})).some((t) => t.id === name)) throw new UsageError(`no tour named "${name}" (mesoscope tour lists them)`);
    const str = (key: string) => (typeof ctx.values[key] === 'string' ? (ctx.values[key] as string) : undefined);
    let state = await api.call('tours.start', { tour: name, cluster: str('cluster'), taskImage: str('task-image'), serviceImage: str('service-image') });
    const session = new ClusterSession(api, state.cluster ?? `tour-${name}`);
    let recording = false;
    let code: number = EXIT.ok;
    try {
      for (;;) {
        if (ctx.interrupted.aborted) break;
        if (!ctx.json) printScene(state);
        if (ctx.values.step && state.index > 0 && !ctx.json) await waitForEnter(ctx.interrupted);
        state = await api.call('tours.act', {});
        const result = state.result;
        if (!ctx.json) printResult(state);
        if (result?.phase === 'failed') {
          code = EXIT.failed;
          break;
        }
        if (result?.phase === 'missed') code = EXIT.notAsHoped;
        if (state.index === 0 && str('record') && !recording) {
          await session.record(str('record'));
          recording = true;
        }
        if (state.index + 1 >= state.count) break;
        state = await api.call('tours.go', { to: 'next' });
      }
    } finally {
      if (recording) {
        const saved = await session.stopRecording().catch(() => undefined);
        if (saved && !ctx.json) console.log(`\nRecorded ${saved.path}: replay it with mesoscope replay or the app's Recordings page.`);
      }
      session.close();
      const ended = await endTour(api, ctx.values.keep !== true);
      if (ctx.json) console.log(JSON.stringify({ tour: name, cluster: state.cluster, results: state.results, ended: ended.active === false }, null, 2));
    }
    return code;
  },
};

async function endTour(api: MesoscopeClient, destroy: boolean): Promise<TourState> {
  return api.call('tours.end', { destroy });
}

function printScene(state: TourState): void {
  const scene = state.scene;
  if (!scene) return;
  console.log(`\n── ${state.title}: scene ${state.index + 1} of ${state.count}: ${scene.title}`);
  console.log(wrap(scene.narration, 100));
}

function printResult(state: TourState): void {
  const r = state.result;
  if (!r) return;
  const secs = r.elapsedMs !== undefined ? ` (${(r.elapsedMs / 1000).toFixed(1)} s)` : '';
  const mark = r.phase === 'landed' ? '✓' : r.phase === 'missed' ? '✗ did not come:' : '✗ failed:';
  console.log(`${mark} ${r.message ?? ''}${secs}`);
  if (r.doctor) console.log(`  The doctor: ${r.doctor}`);
  const h = state.highlight;
  if (h?.verdict) console.log(`  The doctor on ${h.taskId}: ${h.verdict}`);
  if (h) console.log(`  Look at: the ${h.tab} tab${h.taskId ? `, task ${h.taskId}` : ''}${h.node ? `, ${h.node}` : ''}`);
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `   ${l}`).join('\n');
}

function waitForEnter(signal: AbortSignal): Promise<void> {
  process.stderr.write('   (Enter for the next scene) ');
  return new Promise((resolve) => {
    const done = () => {
      process.stdin.off('data', done);
      process.stdin.pause();
      resolve();
    };
    process.stdin.resume();
    process.stdin.once('data', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
