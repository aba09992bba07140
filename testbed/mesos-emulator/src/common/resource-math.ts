// Resources arithmetic as the allocator and task validation need it: sums, differences and
// containment of scalars (fixed point with 3 decimals, like Mesos' Value::Scalar), ranges and sets,
// per name and role; and v1 Resource JSON from a TaskInfo.
import { rangesToString, resourcesToString, type Range, type Resource } from './resources';

const round = (n: number) => Math.round(n * 1000) / 1000;
const key = (r: Resource) => `${r.name}\u0000${r.type}\u0000${r.role}`;

function clone(r: Resource): Resource {
  return { ...r, ranges: r.ranges?.map((x) => ({ ...x })), set: r.set ? [...r.set] : undefined };
}

function normalizeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end >= r.begin).sort((a, b) => a.begin - b.begin);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.begin <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

function subtractRanges(from: Range[], take: Range[]): Range[] {
  let out = normalizeRanges(from);
  for (const t of take) {
    const next: Range[] = [];
    for (const r of out) {
      if (t.end < r.begin || t.begin > r.end) next.push(r);
      else {
        if (t.begin > r.begin) next.push({ begin: r.begin, end: t.begin - 1 });
        if (t.end < r.end) next.push({ begin: t.end + 1, end: r.end });
      }
    }
    out = next;
  }
  return out;
}

const isEmptyResource = (r: Resource) =>
  r.type === 'SCALAR' ? round(r.scalar ?? 0) <= 0 : r.type === 'RANGES' ? (r.ranges ?? []).length === 0 : (r.set ?? []).length === 0;

export function isEmpty(resources: Resource[]): boolean {
  return resources.every(isEmptyResource);
}

export function add(a: Resource[], b: Resource[]): Resource[] {
  const out = a.map(clone);
  for (const r of b) {
    const same = out.find((x) => key(x) === key(r));
    if (!same) out.push(clone(r));
    else if (r.type === 'SCALAR') same.scalar = round((same.scalar ?? 0) + (r.scalar ?? 0));
    else if (r.type === 'RANGES') same.ranges = normalizeRanges([...(same.ranges ?? []), ...(r.ranges ?? [])]);
    else same.set = [...new Set([...(same.set ?? []), ...(r.set ?? [])])];
  }
  return out;
}

/** `a - b`, dropping what becomes empty. */
export function subtract(a: Resource[], b: Resource[]): Resource[] {
  const out = a.map(clone);
  for (const r of b) {
    const same = out.find((x) => key(x) === key(r));
    if (!same) continue;
    if (r.type === 'SCALAR') same.scalar = round((same.scalar ?? 0) - (r.scalar ?? 0));
    else if (r.type === 'RANGES') same.ranges = subtractRanges(same.ranges ?? [], r.ranges ?? []);
    else same.set = (same.set ?? []).filter((i) => !(r.set ?? []).includes(i));
  }
  return out.filter((r) => !isEmptyResource(r));
}

/** Whether `have` holds all of `want`. */
export function contains(have: Resource[], want: Resource[]): boolean {
  for (const w of want) {
    const h = have.find((x) => key(x) === key(w));
    if (!h) {
      if (isEmptyResource(w)) continue;
      return false;
    }
    if (w.type === 'SCALAR' && round(w.scalar ?? 0) > round(h.scalar ?? 0)) return false;
    if (w.type === 'RANGES' && subtractRanges(w.ranges ?? [], h.ranges ?? []).length > 0) return false;
    if (w.type === 'SET' && (w.set ?? []).some((i) => !(h.set ?? []).includes(i))) return false;
  }
  return true;
}

/**
 * Offers list non-scalar resources first (transcripts/basic/sched.events.jsonl: ports, cpus, mem,
 * disk), as Mesos' Resources arithmetic leaves them.
 */
export function offerOrder(resources: Resource[]): Resource[] {
  return [...resources.filter((r) => r.type !== 'SCALAR'), ...resources.filter((r) => r.type === 'SCALAR')];
}

/** v1 Resource JSON (a TaskInfo's `resources`) → Resource; the role comes from `role` or the last reservation. */
export function resourcesFromV1(list: unknown): Resource[] | Error {
  if (!Array.isArray(list)) return new Error('Expecting resources to be an array');
  const out: Resource[] = [];
  for (const raw of list as Array<Record<string, unknown>>) {
    const name = String(raw?.name ?? '');
    const reservations = Array.isArray(raw?.reservations) ? (raw.reservations as Array<{ role?: string }>) : [];
    const role = typeof raw?.role === 'string' ? raw.role : (reservations[reservations.length - 1]?.role ?? '*');
    if (raw?.type === 'SCALAR') {
      const value = Number((raw.scalar as { value?: unknown } | undefined)?.value);
      if (!Number.isFinite(value)) return new Error(`Invalid scalar resource ${name}`);
      out.push({ name, type: 'SCALAR', scalar: round(value), role });
    } else if (raw?.type === 'RANGES') {
      const ranges = ((raw.ranges as { range?: Range[] } | undefined)?.range ?? []).map((r) => ({ begin: Number(r.begin), end: Number(r.end) }));
      out.push({ name, type: 'RANGES', ranges, role });
    } else if (raw?.type === 'SET') {
      out.push({ name, type: 'SET', set: [...((raw.set as { item?: string[] } | undefined)?.item ?? [])], role });
    } else {
      return new Error(`Unsupported resource type of '${name}'`);
    }
  }
  return out;
}

/** `cpus(allocated: *):0.1; mem(allocated: *):32`, as validation messages print allocated resources. */
export function allocatedToString(resources: Resource[], role = '*'): string {
  return resources
    .map((r) => {
      const value = r.type === 'SCALAR' ? String(r.scalar ?? 0) : r.type === 'RANGES' ? rangesToString(r.ranges ?? []) : `{${(r.set ?? []).join(', ')}}`;
      return `${r.name}(allocated: ${role}):${value}`;
    })
    .join('; ');
}

export { resourcesToString };
