import { FAULT_IDS, type FaultId } from '@shared/faults/catalog';
import { ClusterSession } from '../scripting/cluster-session';
import { isTimeout } from '../scripting/live-view';
import { type Command, durationOption, EXIT, intOption, need, printJson, UsageError } from './command';
import { injectionText, judgementText, undoText } from './describe';

/** `fault` and `undo`: the Faults tab's catalogue, with the observed outcome beside the expectation. */

function faultId(value: string | undefined): FaultId {
  const id = need(value, `<fault> (one of ${FAULT_IDS.join(', ')})`);
  if (!(FAULT_IDS as readonly string[]).includes(id)) throw new UsageError(`unknown fault "${id}"; faults: ${FAULT_IDS.join(', ')}`);
  return id as FaultId;
}

export const fault: Command = {
  name: 'fault',
  args: `<cluster> <fault>`,
  summary: 'Break something on purpose and wait for what Mesos does, beside what faults.md says.',
  help: `Faults: ${FAULT_IDS.join(', ')}.
Agent and master faults first start a task to hit (sleep 3600 in --task-image). Waits for the task's
outcome (up to the expectation's own delay; --timeout to change it) and prints it beside the expected
update with a verdict; exits 0 when it is as faults.md says, 5 when not. --no-wait returns after the
fault is applied.`,
  example: 'mesoscope fault demo stop-agent --agent 2 --task-image mesoscope/task-base:test\nmesoscope fault demo oom-task --json',
  clusterArg: true,
  options: {
    agent: { type: 'string' },
    'task-image': { type: 'string' },
    image: { type: 'string' },
    'registration-timeout': { type: 'string' },
    'partition-aware': { type: 'boolean', default: false },
    'no-checkpoint': { type: 'boolean', default: false },
    'no-wait': { type: 'boolean', default: false },
    timeout: { type: 'string' },
  },
  optionHelp: { agent: 'N (agent-N)', 'task-image': 'IMAGE', image: 'IMAGE (missing-image, slow-pull)', 'registration-timeout': 'DURATION (slow-pull, e.g. 2secs)', timeout: 'DURATION' },
  async run(ctx) {
    const kind = faultId(ctx.positionals[1]);
    const s = new ClusterSession(await ctx.api(), need(ctx.positionals[0], '<cluster>'));
    try {
      const params: Record<string, string> = {};
      if (typeof ctx.values.image === 'string') params.image = ctx.values.image;
      if (typeof ctx.values['registration-timeout'] === 'string') params.timeout = ctx.values['registration-timeout'];
      const injection = await s.fault(kind, {
        agent: intOption(ctx.values, 'agent', 1),
        taskImage: typeof ctx.values['task-image'] === 'string' ? ctx.values['task-image'] : undefined,
        framework: { partitionAware: ctx.values['partition-aware'] === true, checkpoint: ctx.values['no-checkpoint'] !== true },
        params,
      });
      if (!ctx.json) console.log(injectionText(injection));
      if (ctx.values['no-wait']) {
        if (ctx.json) printJson({ injection });
        return EXIT.ok;
      }
      if (!ctx.json) console.log(`Watching (up to ${Math.round((Math.max(injection.expectation.withinMs, injection.expectation.holdMs ?? 0) + 10_000) / 1000)} s)…`);
      let judgement;
      try {
        judgement = await s.faultOutcome(injection, durationOption(ctx.values, 'timeout'));
      } catch (err) {
        if (!isTimeout(err)) throw err;
        if (ctx.json) printJson({ injection, judgement: null });
        console.error(`mesoscope: ${(err as Error).message}`);
        return EXIT.timeout;
      }
      if (ctx.json) printJson({ injection, judgement });
      else console.log(judgementText(injection, judgement));
      return judgement.verdict === 'as-expected' ? EXIT.ok : EXIT.notAsHoped;
    } finally {
      s.close();
    }
  },
};

export const undo: Command = {
  name: 'undo',
  args: '<cluster> <fault>',
  summary: 'Undo a node fault (start the agent or master again, unpause, reconnect) and show what followed.',
  help: 'The node is found by its state (the stopped or paused agent, the stopped master, the agent the master cannot reach); --agent N says which when several are. Waits until the agent is active again and its tasks have had their say.',
  example: 'mesoscope undo demo stop-agent\nmesoscope undo demo pause-agent --agent 2',
  clusterArg: true,
  options: { agent: { type: 'string' }, timeout: { type: 'string' } },
  optionHelp: { agent: 'N (agent-N)', timeout: 'DURATION' },
  async run(ctx) {
    const kind = faultId(ctx.positionals[1]);
    const s = new ClusterSession(await ctx.api(), need(ctx.positionals[0], '<cluster>'));
    try {
      const result = await s.undo(kind, { agent: intOption(ctx.values, 'agent', 1), waitMs: durationOption(ctx.values, 'timeout') });
      if (ctx.json) printJson(result);
      else console.log(undoText(result));
      return EXIT.ok;
    } finally {
      s.close();
    }
  },
};
