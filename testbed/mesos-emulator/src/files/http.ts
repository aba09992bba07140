// HTTP endpoints of the `/files` process: browse, read, download, debug (docs/mesos/api.md §5.2).
import path from 'node:path';
import type { Router } from '../http/router';
import { emptyResponse, jsonResponse, rawJsonResponse, textResponse, TEXT_PLAIN, type HttpResponse } from '../http/responses';
import { browseEntryV0, readBodyV0, type Files, type FilesError } from './files';

const MIME: Record<string, string> = {
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.gz': 'application/x-gzip',
  '.tgz': 'application/x-gzip',
  '.tar': 'application/x-tar',
  '.zip': 'application/zip',
  '.pdf': 'application/pdf',
};

/** A 404 as libprocess sends it for /files: empty body, still text/plain (transcripts/files/read-missing.http). */
const notFound = (): HttpResponse => emptyResponse(404, [['Content-Type', TEXT_PLAIN]]);

function filesError(e: FilesError, suffix: string): HttpResponse {
  return e.kind === 'not-found' ? notFound() : textResponse(400, `${e.message}${suffix}`);
}

/** Integer query parameter: absent → fallback; below -1 or garbage → an error message. */
function intParam(query: URLSearchParams, name: string, fallback: number | undefined): number | undefined | HttpResponse {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n)) return textResponse(400, `Failed to parse ${name}: Failed to convert '${raw}' to number.\n`);
  if (n < -1) return textResponse(400, `Negative ${name} provided: ${n}.\n`);
  return n;
}

export function addFilesRoutes(router: Router, files: Files): void {
  router.add('files', 'debug', (req) => jsonResponse(files.debug(), req.query));

  router.add('files', 'browse', (req) => {
    const p = req.query.get('path');
    if (p === null) return textResponse(400, "Expecting 'path=value' in query.\n");
    const result = files.browse(p);
    if (!Array.isArray(result)) return filesError(result, '.\n');
    return jsonResponse(result.map(browseEntryV0), req.query);
  });

  router.add('files', 'read', (req) => {
    const p = req.query.get('path');
    if (p === null) return textResponse(400, "Expecting 'path=value' in query.\n");
    // No offset means -1: report the size and no data (docs/mesos/api.md §0.18).
    const offset = intParam(req.query, 'offset', -1);
    if (typeof offset === 'object') return offset;
    const length = intParam(req.query, 'length', undefined);
    if (typeof length === 'object') return length;
    const result = files.read(p, offset ?? -1, length);
    if ('kind' in result) return filesError(result, '.\n');
    const body = readBodyV0(result.offset, result.data);
    const jsonp = req.query.get('jsonp');
    if (jsonp) {
      const wrapped = Buffer.concat([Buffer.from(`${jsonp}(`), body, Buffer.from(');')]);
      return { status: 200, headers: [['Content-Length', String(wrapped.length)], ['Content-Type', 'text/javascript']], body: wrapped };
    }
    return rawJsonResponse(body);
  });

  router.add('files', 'download', (req) => {
    const p = req.query.get('path');
    if (p === null) return textResponse(400, "Expecting 'path=value' in query.\n");
    const result = files.download(p);
    if ('kind' in result) return filesError(result, '.\n');
    const base = path.basename(result.real);
    return {
      status: 200,
      headers: [
        ['Content-Length', String(result.data.length)],
        ['Date', new Date().toUTCString()],
        ['Content-Disposition', `attachment; filename=${base}`],
        ['Content-Type', MIME[path.extname(base).toLowerCase()] ?? 'application/octet-stream'],
      ],
      body: result.data,
    };
  });
}
