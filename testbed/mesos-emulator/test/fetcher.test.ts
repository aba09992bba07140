import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUris, urisOf } from '../src/agent/tasks/fetcher';

let server: http.Server;
let base: string;
const files = new Map<string, Buffer>();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-fetch-'));

beforeAll(async () => {
  const src = path.join(dir, 'src');
  fs.mkdirSync(src);
  fs.writeFileSync(path.join(src, 'inside.txt'), 'from the archive\n');
  execFileSync('tar', ['-C', src, '-czf', path.join(dir, 'bundle.tar.gz'), 'inside.txt']);
  files.set('/a/run.sh', Buffer.from('#!/bin/sh\necho fetched\n'));
  files.set('/a/bundle.tar.gz', fs.readFileSync(path.join(dir, 'bundle.tar.gz')));
  server = http.createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

const sandbox = () => fs.mkdtempSync(path.join(dir, 'sandbox-'));

describe('the fetcher', () => {
  it('downloads into the sandbox, makes executables 0755, unpacks archives, and logs as the Mesos fetcher', async () => {
    const box = sandbox();
    const log: string[] = [];
    await fetchUris([{ value: `${base}/a/run.sh`, executable: true }, { value: `${base}/a/bundle.tar.gz` }], box, (l) => log.push(l), new AbortController().signal);
    expect(fs.readFileSync(path.join(box, 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho fetched\n');
    expect(fs.statSync(path.join(box, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(path.join(box, 'inside.txt'), 'utf8')).toBe('from the archive\n');
    expect(log[0]).toBe(`Fetching URI '${base}/a/run.sh'`);
    expect(log.at(-1)).toBe(`Successfully fetched all URIs into '${box}'`);
  });

  it('keeps an archive packed with extract: false, names it output_file, copies file:// URIs', async () => {
    const box = sandbox();
    await fetchUris([{ value: `${base}/a/bundle.tar.gz`, extract: false, output_file: 'kept.tgz' }, { value: `file://${path.join(dir, 'bundle.tar.gz')}` }], box, () => {}, new AbortController().signal);
    expect(fs.readdirSync(box).sort()).toEqual(['bundle.tar.gz', 'inside.txt', 'kept.tgz']);
  });

  it('fails on a URI it cannot get, saying which and why', async () => {
    const log: string[] = [];
    await expect(fetchUris([{ value: `${base}/a/missing` }], sandbox(), (l) => log.push(l), new AbortController().signal)).rejects.toThrow('HTTP response code 404');
    expect(log.at(-1)).toBe(`Failed to fetch '${base}/a/missing': HTTP response code 404`);
  });

  it('reads the URIs of a task or of its executor', () => {
    expect(urisOf({ command: { uris: [{ value: 'http://x/y' }] } })).toEqual([{ value: 'http://x/y' }]);
    expect(urisOf({ executor: { command: { uris: [{ value: 'http://x/e' }] } } })).toEqual([{ value: 'http://x/e' }]);
    expect(urisOf({ command: { value: 'true' } })).toEqual([]);
  });
});
