// Agent resources: the `--resources` flag, and the two JSON renderings Mesos uses
// (v1 `Resource` protobufs, and the flat object of the v0 HTTP endpoints, docs/mesos/api.md §1.6).
import os from 'node:os';
import fs from 'node:fs';
import { dbl, sortedObject, type JsonObject, type JsonValue } from './json';

export interface Range {
  begin: number;
  end: number;
}

export interface Resource {
  name: string;
  type: 'SCALAR' | 'RANGES' | 'SET';
  scalar?: number;
  ranges?: Range[];
  set?: string[];
  /** "*" when unreserved. */
  role: string;
}

const DEFAULT_ROLE = '*';

/**
 * Parses `cpus:2;mem:1024;disk:4096;ports:[31000-31099]` (optionally `cpus(role):2`,
 * `names:{a,b}`) or a JSON array of v1 Resource objects, like `Resources::parse`.
 */
export function parseResources(text: string): Resource[] | Error {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) return parseJsonResources(trimmed);

  const out: Resource[] = [];
  for (const token of trimmed.split(';')) {
    if (token.trim() === '') continue;
    const colon = token.indexOf(':');
    if (colon < 0) return new Error(`Bad value for resources, missing ':' within ${token}`);
    let name = token.slice(0, colon).trim();
    const value = token.slice(colon + 1).trim();
    let role = DEFAULT_ROLE;
    const paren = /^([^()]+)\(([^()]*)\)$/.exec(name);
    if (paren) {
      name = paren[1]!.trim();
      role = paren[2]!.trim();
    }
    const resource = parseValue(name, value, role);
    if (resource instanceof Error) return resource;
    addResource(out, resource);
  }
  return out;
}

function parseValue(name: string, value: string, role: string): Resource | Error {
  if (value.startsWith('[')) {
    const ranges = parseRanges(value);
    if (ranges instanceof Error) return ranges;
    return { name, type: 'RANGES', ranges, role };
  }
  if (value.startsWith('{')) {
    if (!value.endsWith('}')) return new Error(`Expecting a set (e.g. {a,b}), got '${value}'`);
    const items = value.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s !== '');
    return { name, type: 'SET', set: items, role };
  }
  const n = Number(value);
  if (value === '' || Number.isNaN(n)) return new Error(`Failed to parse scalar value '${value}' for resource '${name}'`);
  return { name, type: 'SCALAR', scalar: n, role };
}

export function parseRanges(value: string): Range[] | Error {
  if (!value.startsWith('[') || !value.endsWith(']')) {
    return new Error(`Expecting one or more "ranges" in '${value}'`);
  }
  const ranges: Range[] = [];
  for (const part of value.slice(1, -1).split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const m = /^(\d+)\s*-\s*(\d+)$/.exec(p);
    if (!m) return new Error(`Expecting one or more "ranges" in '${value}'`);
    ranges.push({ begin: Number(m[1]), end: Number(m[2]) });
  }
  return ranges;
}

function parseJsonResources(text: string): Resource[] | Error {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return new Error(`Failed to parse resources as JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(raw)) return new Error('Resources JSON must be an array');
  const out: Resource[] = [];
  for (const item of raw as Array<Record<string, unknown>>) {
    const name = String(item.name ?? '');
    const role = typeof item.role === 'string' ? item.role : DEFAULT_ROLE;
    const type = item.type;
    if (type === 'SCALAR') {
      const scalar = item.scalar as { value?: number } | undefined;
      addResource(out, { name, type, scalar: Number(scalar?.value ?? 0), role });
    } else if (type === 'RANGES') {
      const ranges = (item.ranges as { range?: Range[] } | undefined)?.range ?? [];
      addResource(out, { name, type, ranges: ranges.map((r) => ({ begin: r.begin, end: r.end })), role });
    } else if (type === 'SET') {
      const items = (item.set as { item?: string[] } | undefined)?.item ?? [];
      addResource(out, { name, type, set: [...items], role });
    } else {
      return new Error(`Unknown resource type for '${name}'`);
    }
  }
  return out;
}

/** Resources addition: same name, type and role are merged. */
function addResource(list: Resource[], r: Resource): void {
  const same = list.find((x) => x.name === r.name && x.type === r.type && x.role === r.role);
  if (!same) {
    list.push(r);
    return;
  }
  if (r.type === 'SCALAR') same.scalar = (same.scalar ?? 0) + (r.scalar ?? 0);
  else if (r.type === 'RANGES') same.ranges = [...(same.ranges ?? []), ...(r.ranges ?? [])];
  else same.set = [...new Set([...(same.set ?? []), ...(r.set ?? [])])];
}

/**
 * Fills in what the agent would auto-detect when `--resources` leaves it out
 * (docs/mesos/api.md §7.3): cpus = host CPUs, mem = RAM − 1 GB (half below 2 GB),
 * disk = disk − 5 GB (half below 10 GB), ports [31000-32000].
 */
export function withDefaultResources(resources: Resource[], workDir: string | undefined): Resource[] {
  const out = [...resources];
  const has = (name: string) => out.some((r) => r.name === name);
  if (!has('cpus')) out.push({ name: 'cpus', type: 'SCALAR', scalar: os.cpus().length || 1, role: DEFAULT_ROLE });
  if (!has('mem')) {
    const totalMb = Math.floor(os.totalmem() / (1024 * 1024));
    const mem = totalMb >= 2048 ? totalMb - 1024 : Math.floor(totalMb / 2);
    out.push({ name: 'mem', type: 'SCALAR', scalar: mem, role: DEFAULT_ROLE });
  }
  if (!has('disk')) {
    let totalMb: number;
    try {
      const st = fs.statfsSync(workDir ?? '/');
      totalMb = Math.floor((st.blocks * st.bsize) / (1024 * 1024));
    } catch {
      totalMb = 0;
    }
    const disk = totalMb >= 10 * 1024 ? totalMb - 5 * 1024 : Math.floor(totalMb / 2);
    out.push({ name: 'disk', type: 'SCALAR', scalar: disk, role: DEFAULT_ROLE });
  }
  if (!has('ports')) out.push({ name: 'ports', type: 'RANGES', ranges: [{ begin: 31000, end: 32000 }], role: DEFAULT_ROLE });
  return out;
}

export function rangesToString(ranges: Range[]): string {
  return `[${ranges.map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
}

function valueToString(r: Resource): string {
  if (r.type === 'SCALAR') return String(r.scalar ?? 0);
  if (r.type === 'RANGES') return rangesToString(r.ranges ?? []);
  return `{${(r.set ?? []).join(', ')}}`;
}

/** `cpus:2; mem:2048; ports:[31000-31099]` as Mesos logs a Resources object. */
export function resourcesToString(resources: Resource[]): string {
  return resources
    .map((r) => `${r.name}${r.role === DEFAULT_ROLE ? '' : `(reservations: [(STATIC,${r.role})])`}:${valueToString(r)}`)
    .join('; ');
}

export function scalarSum(resources: Resource[], name: string): number {
  return resources.filter((r) => r.name === name && r.type === 'SCALAR').reduce((a, r) => a + (r.scalar ?? 0), 0);
}

/**
 * The v0 HTTP rendering (`model(Resources)`): always cpus, gpus, mem and disk, other
 * scalars as numbers, ranges and sets as strings. Key order copies the recorded
 * responses: disk, mem, gpus, cpus, then the rest.
 */
export function resourcesV0(resources: Resource[]): JsonObject {
  const out: JsonObject = {
    disk: dbl(scalarSum(resources, 'disk')),
    mem: dbl(scalarSum(resources, 'mem')),
    gpus: dbl(scalarSum(resources, 'gpus')),
    cpus: dbl(scalarSum(resources, 'cpus')),
  };
  for (const r of resources) {
    if (['disk', 'mem', 'gpus', 'cpus'].includes(r.name) && r.type === 'SCALAR') continue;
    if (r.type === 'SCALAR') out[r.name] = dbl(scalarSum(resources, r.name));
    else out[r.name] = valueToString(r);
  }
  return out;
}

/** `reserved_resources`: {role → v0 resources} for the reserved part. */
export function reservedV0(resources: Resource[]): JsonObject {
  const out: JsonObject = {};
  for (const role of [...new Set(resources.filter((r) => r.role !== DEFAULT_ROLE).map((r) => r.role))]) {
    out[role] = resourcesV0(resources.filter((r) => r.role === role));
  }
  return out;
}

export function unreserved(resources: Resource[]): Resource[] {
  return resources.filter((r) => r.role === DEFAULT_ROLE);
}

export function reserved(resources: Resource[]): Resource[] {
  return resources.filter((r) => r.role !== DEFAULT_ROLE);
}

export interface V1Options {
  /** Include `role` ("*") as the master's total/full resources do; AgentInfo.resources omit it. */
  withRole?: boolean;
  allocationRole?: string;
}

/** One v1 `Resource` protobuf as JSON. */
export function resourceV1(r: Resource, opts: V1Options = {}): JsonObject {
  const out: JsonObject = { name: r.name, type: r.type };
  if (r.type === 'SCALAR') out.scalar = { value: dbl(r.scalar ?? 0) };
  if (r.type === 'RANGES') out.ranges = { range: (r.ranges ?? []).map((x) => ({ begin: x.begin, end: x.end })) };
  if (r.type === 'SET') out.set = { item: [...(r.set ?? [])] };
  if (opts.withRole || r.role !== DEFAULT_ROLE) out.role = r.role;
  if (r.role !== DEFAULT_ROLE) out.reservations = [{ type: 'STATIC', role: r.role }];
  if (opts.allocationRole !== undefined) out.allocation_info = { role: opts.allocationRole };
  return out;
}

export function resourcesV1(resources: Resource[], opts: V1Options = {}): JsonValue[] {
  return resources.map((r) => resourceV1(r, opts));
}

/** As the agent logs them: `[{"name":"cpus","scalar":{"value":2.0},"type":"SCALAR"},…]` (sorted keys). */
export function resourcesLogJson(resources: Resource[]): JsonValue[] {
  return resources.map((r) => sortedObject(resourceV1(r)));
}
