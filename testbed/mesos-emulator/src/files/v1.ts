// LIST_FILES and READ_FILE of the v1 operator API (master and agent), docs/mesos/api.md §2.2.
import type { JsonObject } from '../common/json';
import { emptyResponse, textResponse, TEXT_PLAIN, type HttpResponse } from '../http/responses';
import { fileInfoV1, type Files, type FilesError } from './files';

function error(e: FilesError): HttpResponse {
  if (e.kind === 'not-found') {
    return e.message === '' ? emptyResponse(404, [['Content-Type', TEXT_PLAIN]]) : textResponse(404, e.message);
  }
  return textResponse(400, e.message);
}

export function listFiles(files: Files, params: Record<string, unknown>): JsonObject | HttpResponse {
  const result = files.browse(String(params.path ?? ''));
  if (!Array.isArray(result)) return error(result);
  return { file_infos: result.map(fileInfoV1) };
}

export function readFile(files: Files, params: Record<string, unknown>): JsonObject | HttpResponse {
  const offset = Number(params.offset);
  const length = params.length === undefined ? undefined : Number(params.length);
  if (!Number.isInteger(offset) || offset < 0) return textResponse(400, `Negative offset provided: ${String(params.offset)}`);
  if (length !== undefined && (!Number.isInteger(length) || length < 0)) {
    return textResponse(400, `Negative length provided: ${String(params.length)}`);
  }
  const result = files.read(String(params.path ?? ''), offset, length);
  if ('kind' in result) return error(result);
  return { size: result.size, data: result.data.toString('base64') };
}

export function isResponse(v: JsonObject | HttpResponse): v is HttpResponse {
  return typeof (v as HttpResponse).status === 'number' && Buffer.isBuffer((v as HttpResponse).body);
}
