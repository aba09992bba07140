import type { Resources, Scalars } from '@shared/dashboard/view';
import type { Resource } from '@shared/mesos/v1';

/** Sums of Mesos resources for display: the four scalars, and the port ranges as Mesos prints them. */

export const zero = (): Scalars => ({ cpus: 0, mem: 0, disk: 0, gpus: 0 });

const SCALARS = ['cpus', 'mem', 'disk', 'gpus'] as const;
type ScalarName = (typeof SCALARS)[number];
const isScalarName = (n: string): n is ScalarName => (SCALARS as readonly string[]).includes(n);

/** Floating sums drift (0.1 + 0.2): keep what a person would read (and never -0). */
const round = (v: number) => Math.round(v * 1e6) / 1e6 + 0;

export function addScalars(a: Scalars, b: Scalars): Scalars {
  return { cpus: round(a.cpus + b.cpus), mem: round(a.mem + b.mem), disk: round(a.disk + b.disk), gpus: round(a.gpus + b.gpus) };
}

export function subtractScalars(a: Scalars, b: Scalars): Scalars {
  return { cpus: round(a.cpus - b.cpus), mem: round(a.mem - b.mem), disk: round(a.disk - b.disk), gpus: round(a.gpus - b.gpus) };
}

export const scalarsOnly = (r: Resources): Scalars => ({ cpus: r.cpus, mem: r.mem, disk: r.disk, gpus: r.gpus });

/** v1 `Resource[]` (one entry per name and role/reservation, so the same name may repeat). */
export function fromV1(resources: readonly Resource[]): Resources {
  const out: Resources = zero();
  const ranges: string[] = [];
  for (const r of resources) {
    if (r.type === 'SCALAR' && r.scalar && isScalarName(r.name)) out[r.name] = round(out[r.name] + r.scalar.value);
    if (r.type === 'RANGES' && r.name === 'ports') for (const x of r.ranges?.range ?? []) ranges.push(`${x.begin}-${x.end}`);
  }
  if (ranges.length > 0) out.ports = `[${ranges.join(', ')}]`;
  return out;
}

/** v0 resources of the read-only endpoints: `{"cpus":0.1,"mem":32,"ports":"[31000-31000]"}` (docs/mesos/api.md §1.6). */
export function fromV0(resources: Record<string, number | string>): Resources {
  const out: Resources = zero();
  for (const [name, value] of Object.entries(resources)) {
    if (isScalarName(name) && typeof value === 'number') out[name] = value;
    if (name === 'ports' && typeof value === 'string' && value !== '') out.ports = value;
  }
  return out;
}

interface V1Attribute {
  name: string;
  type: string;
  scalar?: { value: number };
  ranges?: { range: Array<{ begin: number; end: number }> };
  set?: { item: string[] };
  text?: { value: string };
}

/** v1 attributes as text, the way `/master/state` renders them (ranges and sets as strings, §1.3). */
export function attributesText(attributes: readonly V1Attribute[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of attributes) {
    if (a.text) out[a.name] = a.text.value;
    else if (a.scalar) out[a.name] = String(a.scalar.value);
    else if (a.ranges) out[a.name] = `[${a.ranges.range.map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
    else if (a.set) out[a.name] = `{${a.set.item.join(', ')}}`;
  }
  return out;
}
