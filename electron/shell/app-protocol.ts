import { readFile } from 'node:fs/promises';
import { extname, normalize, relative, resolve, sep } from 'node:path';
import { ELECTRON_CSP } from './csp';

/**
 * The renderer is served from app://mesoscope/ rather than file://: a standard, secure origin that the
 * IPC binding can recognise, and a place to send the CSP as a real header.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'mesoscope';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Is this frame our own page (and not some other origin that got loaded somehow)? */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Answer an app:// request from the built renderer folder; nothing outside it is ever served. */
export async function serveAppRequest(rendererDir: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
  const root = resolve(rendererDir);
  const path = resolve(root, normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '') || 'index.html');
  const inside = relative(root, path);
  if (inside.startsWith('..') || inside.startsWith(sep) || inside === '') {
    return new Response('Not found', { status: 404 });
  }
  try {
    const body = await readFile(path);
    return new Response(body, {
      headers: {
        'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
        'Content-Security-Policy': ELECTRON_CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
