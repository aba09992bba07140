import Anser from 'anser';
import { type CSSProperties, memo, type ReactNode } from 'react';

/**
 * One line of a log as React elements: ANSI colours and decorations become styled spans (anser parses
 * them; text is always a text node, never HTML), matches of the search are marked, and Docker's
 * RFC 3339 timestamp becomes a dim column or goes.
 */

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

export function splitTimestamp(line: string): { time: string | null; rest: string } {
  const m = TIMESTAMP.exec(line);
  return m ? { time: m[1] as string, rest: line.slice(m[0].length) } : { time: null, rest: line };
}

/** `2026-11-21T17:22:33.123456789Z` → `17:22:33.123` (local time). */
function shortTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function marked(text: string, needle: string, key: string): ReactNode {
  if (!needle) return text;
  const lower = text.toLowerCase();
  const parts: ReactNode[] = [];
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    if (i > at) parts.push(text.slice(at, i));
    parts.push(
      <mark key={`${key}-${i}`} className="log-mark">
        {text.slice(i, i + needle.length)}
      </mark>,
    );
    at = i + needle.length;
  }
  if (parts.length === 0) return text;
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

function styleOf(entry: Anser.AnserJsonEntry): CSSProperties | undefined {
  const style: CSSProperties = {};
  if (entry.fg) style.color = `rgb(${entry.fg})`;
  if (entry.bg) style.backgroundColor = `rgb(${entry.bg})`;
  for (const d of entry.decorations) {
    if (d === 'bold') style.fontWeight = 'bold';
    else if (d === 'italic') style.fontStyle = 'italic';
    else if (d === 'dim') style.opacity = 0.7;
    else if (d === 'underline') style.textDecoration = 'underline';
    else if (d === 'strikethrough') style.textDecoration = 'line-through';
    else if (d === 'hidden') style.visibility = 'hidden';
  }
  return Object.keys(style).length ? style : undefined;
}

/** The text without ANSI sequences: what search and copy see. */
export function plainText(line: string): string {
  return line.includes('\u001b') ? Anser.ansiToText(line) : line;
}

export const LogLine = memo(function LogLine({
  line,
  needle,
  showTime,
}: {
  line: string;
  /** The search, lower-cased ('' for none). */
  needle: string;
  showTime: boolean;
}) {
  const { time, rest } = splitTimestamp(line);
  let body: ReactNode;
  if (!rest.includes('\u001b')) {
    body = marked(rest, needle, 't');
  } else {
    const entries = Anser.ansiToJson(rest, { json: true, remove_empty: true });
    body = entries.map((entry, i) => (
      <span key={i} style={styleOf(entry)}>
        {marked(entry.content, needle, String(i))}
      </span>
    ));
  }
  return (
    <>
      {time && showTime && (
        <span className="log-time" title={time}>
          {shortTime(time)}
        </span>
      )}
      <span className="log-text">{body}</span>
    </>
  );
});
