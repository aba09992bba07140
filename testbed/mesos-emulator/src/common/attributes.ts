// Agent attributes (`--attributes=rack:r1;zone:a;level:3`), like `Attributes::parse`.
import { dbl, type JsonObject, type JsonValue } from './json';
import { parseRanges, rangesToString, type Range } from './resources';

export interface Attribute {
  name: string;
  type: 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';
  scalar?: number;
  ranges?: Range[];
  set?: string[];
  text?: string;
}

export function parseAttributes(text: string): Attribute[] | Error {
  const out: Attribute[] = [];
  for (const token of text.split(';')) {
    if (token.trim() === '') continue;
    const colon = token.indexOf(':');
    if (colon < 0) return new Error(`Invalid attribute key:value pair '${token}'`);
    const name = token.slice(0, colon).trim();
    const value = token.slice(colon + 1).trim();
    if (value.startsWith('[')) {
      const ranges = parseRanges(value);
      if (ranges instanceof Error) return ranges;
      out.push({ name, type: 'RANGES', ranges });
    } else if (value.startsWith('{')) {
      out.push({ name, type: 'SET', set: value.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean) });
    } else if (value !== '' && !Number.isNaN(Number(value))) {
      out.push({ name, type: 'SCALAR', scalar: Number(value) });
    } else {
      out.push({ name, type: 'TEXT', text: value });
    }
  }
  return out;
}

/** v0 (`/state`): an object of name → number or string. */
export function attributesV0(attrs: Attribute[]): JsonObject {
  const out: JsonObject = {};
  for (const a of attrs) {
    if (a.type === 'SCALAR') out[a.name] = dbl(a.scalar ?? 0);
    else if (a.type === 'TEXT') out[a.name] = a.text ?? '';
    else if (a.type === 'RANGES') out[a.name] = rangesToString(a.ranges ?? []);
    else out[a.name] = `{${(a.set ?? []).join(', ')}}`;
  }
  return out;
}

/** v1 `Attribute` protobufs. */
export function attributesV1(attrs: Attribute[]): JsonValue[] {
  return attrs.map((a) => {
    const out: JsonObject = { name: a.name, type: a.type };
    if (a.type === 'SCALAR') out.scalar = { value: dbl(a.scalar ?? 0) };
    if (a.type === 'TEXT') out.text = { value: a.text ?? '' };
    if (a.type === 'RANGES') out.ranges = { range: (a.ranges ?? []).map((r) => ({ begin: r.begin, end: r.end })) };
    if (a.type === 'SET') out.set = { item: [...(a.set ?? [])] };
    return out;
  });
}

/** `rack:r1;level:3` as the agent logs its attributes (`Agent attributes: [ rack=r1, level=3 ]`). */
export function attributesToString(attrs: Attribute[]): string {
  const parts = attrs.map((a) => {
    const v =
      a.type === 'SCALAR' ? String(a.scalar)
      : a.type === 'TEXT' ? (a.text ?? '')
      : a.type === 'RANGES' ? rangesToString(a.ranges ?? [])
      : `{${(a.set ?? []).join(', ')}}`;
    return `${a.name}=${v}`;
  });
  return `[ ${parts.join(', ')} ]`;
}
