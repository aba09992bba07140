import type { LogLine, NodeRef } from './evidence';

/**
 * Mesos logs through glog: `I1121 14:58:03.394531    11 process.cpp:1917] Failed to send …`
 * (`[IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg`). The line has no year and no zone: the year
 * is taken from a reference time (the one that puts the line nearest to it), the zone is UTC (the
 * containers' clock; the recorded transcripts agree). Lines Docker stamped (`docker logs
 * --timestamps`) carry their exact time in front, which wins.
 */

const GLOG = /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,6})\s+\d+\s+([^\s\]]+:\d+)\] ?(.*)$/;
const DOCKER_STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) /;

export interface GlogOptions {
  node: NodeRef;
  /** A time near the line's (ms): picks its year. */
  reference: number;
}

/** A parsed line, or null for an empty one. Lines that are not glog keep their text, at the reference time. */
export function parseGlogLine(raw: string, { node, reference }: GlogOptions): LogLine | null {
  let line = raw.replace(/\r$/, '');
  let stamped: number | undefined;
  const stamp = DOCKER_STAMP.exec(line);
  if (stamp) {
    stamped = Date.parse(stamp[1]!);
    line = line.slice(stamp[0].length);
  }
  if (line.trim() === '') return null;
  const m = GLOG.exec(line);
  if (!m) return { at: stamped ?? reference, node, text: line };
  const [, level, month, day, hh, mm, ss, frac, file, text] = m;
  // Microseconds kept as a fraction of a ms: lines of one moment stay in their order.
  const micros = Number(frac!.padEnd(6, '0')) / 1000;
  const at = stamped ?? nearestYear(reference, (year) => Date.UTC(year, Number(month) - 1, Number(day), Number(hh), Number(mm), Number(ss)) + micros);
  return { at, node, level: level as LogLine['level'], file, text: text! };
}

/** Every line of a log text (a file, or `docker logs` output), in order; unparsable lines kept as text. */
export function parseGlog(text: string, options: GlogOptions): LogLine[] {
  const out: LogLine[] = [];
  let last = options.reference;
  for (const raw of text.split('\n')) {
    // A continuation line (a multi-line message) belongs to the time of the line before it.
    const line = parseGlogLine(raw, { ...options, reference: last });
    if (!line) continue;
    last = line.at;
    out.push(line);
  }
  return out;
}

function nearestYear(reference: number, at: (year: number) => number): number {
  const year = new Date(reference).getUTCFullYear();
  const candidates = [year - 1, year, year + 1].map(at);
  return candidates.reduce((best, t) => (Math.abs(t - reference) < Math.abs(best - reference) ? t : best));
}
