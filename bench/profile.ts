/** CPU profiles for BENCH_PROFILE=1: the V8 format both the inspector and CDP write, and a summary of one. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number }[];
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
