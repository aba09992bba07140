// Durations as stout's Duration parses and prints them ("1secs", "15secs", "2mins", "10ms").

const NS = 1;
const US = 1_000 * NS;
const MS = 1_000 * US;
const SECS = 1_000 * MS;
const MINS = 60 * SECS;
const HRS = 60 * MINS;
const DAYS = 24 * HRS;
const WEEKS = 7 * DAYS;

const UNITS: Record<string, number> = {
  ns: NS,
  us: US,
  ms: MS,
  secs: SECS,
  mins: MINS,
  hrs: HRS,
  days: DAYS,
  weeks: WEEKS,
};

export class Duration {
  private constructor(readonly ns: number) {}

  static ns(n: number): Duration {
    return new Duration(n);
  }
  static ms(n: number): Duration {
    return new Duration(n * MS);
  }
  static secs(n: number): Duration {
    return new Duration(n * SECS);
  }

  get ms(): number {
    return this.ns / MS;
  }
  get secs(): number {
    return this.ns / SECS;
  }

  /** Same algorithm as stout's `operator<<(ostream&, const Duration&)`: the largest unit not above the value. */
  toString(): string {
    const n = this.ns;
    const abs = Math.abs(n);
    const [unit, name] =
      abs >= WEEKS ? [WEEKS, 'weeks']
      : abs >= DAYS ? [DAYS, 'days']
      : abs >= HRS ? [HRS, 'hrs']
      : abs >= MINS ? [MINS, 'mins']
      : abs >= SECS ? [SECS, 'secs']
      : abs >= MS ? [MS, 'ms']
      : abs >= US ? [US, 'us']
      : [NS, 'ns'];
    return `${formatNumber(n / unit)}${name}`;
  }
}

function formatNumber(v: number): string {
  // stout prints with the stream's full double precision; trim float noise like 1.5000000000000002.
  return String(Number(v.toPrecision(15)));
}

/** stout `Duration::parse`: digits and dots, then a unit. Errors use stout's wording. */
export function parseDuration(s: string): Duration | Error {
  let index = 0;
  while (index < s.length) {
    const c = s[index]!;
    if ((c >= '0' && c <= '9') || c === '.') {
      index++;
      continue;
    }
    const numberPart = s.slice(0, index);
    const value = Number(numberPart);
    if (numberPart === '' || Number.isNaN(value)) {
      return new Error(`Failed to convert '${numberPart}' to number`);
    }
    const unit = s.slice(index);
    const factor = UNITS[unit];
    if (factor === undefined) return new Error(`Unknown duration unit '${unit}'`);
    return Duration.ns(value * factor);
  }
  return new Error(`Invalid duration '${s}'`);
}
