import { z } from 'zod';

/**
 * An image reference as Docker parses it (the grammar of github.com/distribution/reference):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path-component ( "/" path-component )*      (at most 255 characters)
 *   domain     := host [ ":" port ],  host := domain-name | "[" IPv6 "]"
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest     := algorithm ":" hex{32,}
 *
 * Every field that names an image uses this one schema. Besides refusing typos early it keeps the
 * name from steering the Docker API request it ends up in: dockerode puts the name into the URL path
 * as is (`/images/<name>/json`), so `..`, `//`, `?` or `#` in a name would make dockerd answer with a
 * redirect to a name-built host, or change which endpoint is asked. None of those can pass this grammar.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_MAX = 255;
/** Longest reference accepted: the name, a tag and a sha512 digest. */
const REFERENCE_MAX = NAME_MAX + 1 + 128 + 1 + 7 + 128;

export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

/** The parts of a reference, or why it is not one (one sentence, for a field's message). */
export function parseImageReference(text: string): { ok: true; ref: ImageReference } | { ok: false; message: string } {
  if (text.length === 0) return { ok: false, message: 'must name an image' };
  if (text.length > REFERENCE_MAX) return { ok: false, message: `must be at most ${REFERENCE_MAX} characters` };
  const m = REFERENCE.exec(text);
  if (!m) return { ok: false, message: describeProblem(text) };
  const [, name, tag, digest] = m;
  if (name!.length > NAME_MAX) return { ok: false, message: `must have a repository name of at most ${NAME_MAX} characters` };
  return { ok: true, ref: { name: name!, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) } };
}

export function isImageReference(text: string): boolean {
  return parseImageReference(text).ok;
}

function describeProblem(text: string): string {
  if (/\s/.test(text)) return 'must not contain spaces';
  if (/(^|\/)\.{1,2}(\/|$|:)|\/\//.test(text)) return 'must be an image reference such as busybox:1.36 or registry:5000/team/app:v1 (no "..", "." or empty path parts)';
  if (/[?#%\\]/.test(text)) return 'must be an image reference such as busybox:1.36 (no ?, #, % or \\)';
  const name = text.split('@')[0]!.replace(/:[\w][\w.-]*$/, '');
  const path = name.includes('/') && /[.:]|^localhost$/.test(name.split('/')[0]!) ? name.slice(name.indexOf('/') + 1) : name;
  if (/[A-Z]/.test(path)) return 'must be an image reference: the repository name is lowercase (e.g. busybox:1.36)';
  return 'must be an image reference such as busybox:1.36, team/app@sha256:… or registry:5000/team/app:v1';
}

/** A field naming an image: trimmed, then checked against Docker's reference grammar. */
export const ImageReferenceSchema = z
  .string({ error: 'must be a string naming an image' })
  .trim()
  .superRefine((text, ctx) => {
    const parsed = parseImageReference(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
  });
