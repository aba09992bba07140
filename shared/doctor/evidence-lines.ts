import type { LogLine } from './evidence';
import { RULES } from './rules';

/**
 * Which master and agent log lines are worth keeping as evidence (the flight recorder's "chosen
 * excerpts"): every warning and error, every line a rule looks for, and every line about a task, an
 * executor, a container, an agent or a framework — the ones the doctor shows beside a task. What is
 * left out is the steady noise: HTTP request lines, offers, the allocator and the registrar.
 */

const RULE_PATTERNS: readonly RegExp[] = RULES.flatMap((r) => [
  ...r.evidence.logPatterns,
  ...[...r.when.requires, ...r.evidence.decisive].flatMap((m) => (m.kind === 'log' ? [m.pattern] : [])),
]);

const ABOUT = /\b(?:task|executor|container|agent|framework|slave)\b/i;
const NOISE = /^(?:HTTP (?:GET|POST) for |Sending offers? |Processing (?:DECLINE|REVIVE|SUPPRESS) call|Removing offer |Allocat|Applied \d+ operations|Successfully updated the registry|Received heartbeat)/;

export function isEvidenceLine(line: Pick<LogLine, 'level' | 'text'>): boolean {
  if (line.level === 'W' || line.level === 'E' || line.level === 'F') return true;
  if (RULE_PATTERNS.some((p) => p.test(line.text))) return true;
  return ABOUT.test(line.text) && !NOISE.test(line.text);
}
