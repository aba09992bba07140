/** CPU profiles for BENCH_PROFILE=1: the V8 format both the inspector and CDP write, and a summary of one. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a process spent its time: self time per function, top `top`. */
export function printProfile(profile: CpuProfile, what = 'renderer', top = 20): void {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byName = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
    byName.set(name, (byName.get(name) ?? 0) + (self.get(node.id) ?? 0));
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  console.log(`${what} profile: ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
}

/**
 * The `top` longest stretches of a profile without idle samples (a long task, or tasks back to back),
 * each with when it began (ms from the profile's start) and what its time was spent in, callers
 * included: the self times of printProfile do not say which component a frame's work came from.
 */
export function printLongestStretches(profile: CpuProfile, top = 3, functions = 12): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'}:${f.lineNumber}`;
  };
  const stretches: Array<{ from: number; to: number; samples: number[] }> = [];
  let at = 0;
  let open: (typeof stretches)[number] | undefined;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (byId.get(id)?.callFrame.functionName === '(idle)') open = undefined;
    else if (open) {
      open.to = at;
      open.samples.push(id);
    } else stretches.push((open = { from: at, to: at, samples: [id] }));
  });
  for (const s of stretches.sort((a, b) => b.to - b.from - (a.to - a.from)).slice(0, top)) {
    const inclusive = new Map<string, number>();
    for (const leaf of s.samples) {
      const seen = new Set<string>();
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        const name = label(id);
        if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
        seen.add(name);
      }
    }
    const share = (n: number) => `${Math.round((100 * n) / s.samples.length)}%`.padStart(5);
    console.log(`  a stretch of ${((s.to - s.from) / 1000).toFixed(0)} ms at ${(s.from / 1000).toFixed(0)} ms, callers included:`);
    const shown = [...inclusive].filter(([name]) => name !== '(root):-1').sort((a, b) => b[1] - a[1]).slice(0, functions);
    console.log(shown.map(([name, n]) => `    ${share(n)} ${name}`).join('\n'));
  }
}

/** What the benches trace (BENCH_TRACE=1): the timeline DevTools shows, with V8's and Blink's own events. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'];

/** A Chrome trace (Tracing / browser.startTracing) as written: its events. */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/**
 * Where the renderer's main thread spent a trace: self time per event name (FunctionCall, Layout,
 * UpdateLayoutTree, Paint, GC…), nested complete events subtracted from their parents. A CPU profile
 * lumps style, layout and paint together as "(program)"; the trace names them.
 */
export function printTrace(trace: { traceEvents: TraceEvent[] }, top = 20): void {
  const events = trace.traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) {
    console.log('trace: no renderer main thread found');
    return;
  }
  const onMain = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const stack: Array<{ end: number; name: string }> = [];
  let busy = 0;
  for (const e of onMain) {
    while (stack.length && stack[stack.length - 1]!.end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur!);
    else busy += e.dur!;
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur!);
    stack.push({ end: e.ts + e.dur!, name: e.name });
  }
  const span = onMain.length ? (onMain[onMain.length - 1]!.ts - onMain[0]!.ts) / 1000 : 0;
  console.log(`renderer main thread (trace): busy ${(busy / 1000).toFixed(0)} ms of ${span.toFixed(0)} ms; self time by event:`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
}
