import { type ClusterSpec, DEFAULT_IMAGES } from './spec';
import { flagsOf, unsafeFlagReason } from './unsafe-flags';

/**
 * What a spec from elsewhere (imported, uploaded, from a recording, changed by the doctor) asks for
 * beyond Mesoscope's defaults, so a person sees it before it runs: images other than the defaults,
 * privileged agents, unsafe flags it opted into (red) and every other flag. The New cluster dialog
 * shows it (SpecReview.tsx) and `mesoscope up` prints it and asks for --yes.
 */
export interface ReviewItem {
  /** The spec field, e.g. `agents.list[1].flags.ip` or `privilegedAgents`. */
  path: string;
  /** The value as the spec gives it. */
  value: string;
  /** danger: hands this machine to the spec's author if it is hostile; notice: worth a look. */
  level: 'danger' | 'notice';
  /** What it means, in a few words. */
  note: string;
}

export interface ReviewOptions {
  /** Images that count as defaults besides the built-in ones (Settings' default images). */
  defaultImages?: Partial<Record<keyof ClusterSpec['images'], string>>;
}

const ROLE_NOTE: Record<keyof ClusterSpec['images'], { level: ReviewItem['level']; note: string }> = {
  agent: { level: 'danger', note: "not a default image: agents run it with this machine's Docker socket, i.e. as root here" },
  master: { level: 'notice', note: 'not a default image: the masters run it' },
  zookeeper: { level: 'notice', note: 'not a default image: ZooKeeper runs it' },
};

export function reviewSpec(spec: ClusterSpec, options: ReviewOptions = {}): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const role of ['zookeeper', 'master', 'agent'] as const) {
    const image = spec.images[role];
    if (image === DEFAULT_IMAGES[role] || image === options.defaultImages?.[role]) continue;
    items.push({ path: `images.${role}`, value: image, ...ROLE_NOTE[role] });
  }
  if (spec.privilegedAgents) {
    items.push({ path: 'privilegedAgents', value: 'true', level: 'danger', note: "agents run privileged: every device and kernel capability of this machine's Docker host" });
  }
  if (spec.allowUnsafeFlags.length > 0) {
    items.push({ path: 'allowUnsafeFlags', value: spec.allowUnsafeFlags.join(', '), level: 'danger', note: 'lets this spec set flags Mesoscope otherwise refuses' });
  }
  for (const { path, flag, value } of flagsOf(spec)) {
    const unsafe = unsafeFlagReason(flag, value);
    items.push(unsafe ? { path, value, level: 'danger', note: `--${flag} ${unsafe}` } : { path, value, level: 'notice', note: `--${flag}` });
  }
  return items;
}

/** The review as lines of text (the CLI): `! agents.flags.ip = 0.0.0.0  (…)`, danger first. */
export function formatReview(items: ReviewItem[]): string {
  const sorted = [...items].sort((a, b) => (a.level === b.level ? 0 : a.level === 'danger' ? -1 : 1));
  return sorted.map((i) => `${i.level === 'danger' ? '!' : '-'} ${i.path} = ${i.value}  (${i.note})`).join('\n');
}
