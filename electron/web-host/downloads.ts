import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DownloadOutcome } from '@shared/logs/schema';
import type { DownloadableFile, DownloadHost } from '../logs/downloads';

/** Where the page fetches a download: `/api/download/<ticket>`. */
export const DOWNLOAD_PATH = '/api/download/';
const TTL_MS = 60_000;

/**
 * Downloads in the web host. A browser cannot put the token in a header of a download it navigates
 * to, and the token must not end up in the downloads list either, so the page asks for a file over
 * its token-checked socket (`logs.download`) and gets a ticket: random, for that one file, good for
 * one fetch within a minute. The route serves it on loopback only.
 */
export class DownloadTickets implements DownloadHost {
  private readonly tickets = new Map<string, { file: DownloadableFile; expires: number }>();

  async offer(file: DownloadableFile): Promise<DownloadOutcome> {
    const now = Date.now();
    for (const [id, t] of this.tickets) if (t.expires < now) this.tickets.delete(id);
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.set(ticket, { file, expires: now + TTL_MS });
    return { kind: 'url', url: `${DOWNLOAD_PATH}${ticket}`, name: file.name };
  }

  /** Serves `/api/download/<ticket>`; answers false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(DOWNLOAD_PATH)) return false;
    const fail = (status: number, message: string) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(message);
    };
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
      fail(403, 'Forbidden');
      return true;
    }
    if (req.method !== 'GET') {
      fail(405, 'Method not allowed');
      return true;
    }
    const ticket = url.pathname.slice(DOWNLOAD_PATH.length);
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!entry || entry.expires < Date.now()) {
      fail(404, 'This download link is unknown or was used already; download the file again from the app.');
      return true;
    }
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    entry.file.open(aborted.signal).then(
      ({ stream, size }) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(entry.file.name)}`);
        res.setHeader('Cache-Control', 'no-store');
        if (size !== undefined) res.setHeader('Content-Length', String(size));
        stream.on('error', () => res.destroy());
        stream.pipe(res);
      },
      (err: unknown) => fail(502, `The agent did not give the file: ${err instanceof Error ? err.message : String(err)}`),
    );
    return true;
  }
}
