// Mesos-flavoured JSON writer.
//
// Mesos writes protobuf `double` fields with a trailing ".0" when the value is
// integral ("cpus":2.0, "build_time":1795270100.0) and int64 fields as bare
// integers that may exceed 2^53 (TimeInfo.nanoseconds). JSON.stringify can do
// neither, so values are built from these types and written by `toJson`.

export class Double {
  constructor(readonly value: number) {}
}

/** Marks a number as a protobuf double (written as `2.0`, not `2`). */
export const dbl = (value: number): Double => new Double(value);

export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Double
  | JsonValue[]
  | JsonObject;

/** Keys whose value is `undefined` are omitted, like unset optional protobuf fields. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export function formatDouble(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  const s = String(v);
  return Number.isInteger(v) && !s.includes('e') ? `${s}.0` : s;
}

export function toJson(value: JsonValue): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(v: JsonValue, out: string[]): void {
  if (v === null) {
    out.push('null');
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (typeof v === 'number') {
    out.push(Number.isFinite(v) ? String(v) : 'null');
  } else if (typeof v === 'bigint') {
    out.push(v.toString());
  } else if (typeof v === 'string') {
    out.push(JSON.stringify(v));
  } else if (v instanceof Double) {
    out.push(formatDouble(v.value));
  } else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, out);
    });
    out.push(']');
  } else {
    out.push('{');
    let first = true;
    for (const [key, item] of Object.entries(v)) {
      if (item === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(item, out);
    }
    out.push('}');
  }
}

/** Returns a copy of `obj` with its keys sorted, as stout's JSON::Object (a std::map) writes them. */
export function sortedObject(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(obj).sort()) out[key] = obj[key];
  return out;
}
