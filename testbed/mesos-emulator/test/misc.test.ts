import { describe, expect, it } from 'vitest';
import { dbl, toJson } from '../src/common/json';
import { packIp } from '../src/common/net';
import { RecordIODecoder, recordioFrame } from '../src/http/recordio';
import { acceptsMediaType } from '../src/http/v1';
import { formatLine } from '../src/logging/glog';
import { parseZkUrl } from '../src/zk/url';
import { parseMasterInfo } from '../src/common/master-info';

describe('JSON writer', () => {
  it('writes doubles like Mesos and int64 as bare integers', () => {
    expect(toJson({ a: dbl(2), b: dbl(0.1), c: 1795272899405106176n, d: undefined, e: [1, 'x'] })).toBe(
      '{"a":2.0,"b":0.1,"c":1795272899405106176,"e":[1,"x"]}',
    );
  });
});

describe('RecordIO', () => {
  it('frames by UTF-8 byte length and decodes across chunk boundaries', () => {
    const frame = recordioFrame({ type: 'é' });
    expect(frame.toString('utf8').startsWith('13\n')).toBe(true);
    const d = new RecordIODecoder();
    const both = Buffer.concat([frame, recordioFrame({ type: 'HEARTBEAT' })]);
    const out = [...d.push(both.subarray(0, 5)), ...d.push(both.subarray(5))].map((b) => b.toString());
    expect(out).toEqual(['{"type":"é"}', '{"type":"HEARTBEAT"}']);
  });
});

describe('Accept negotiation (libprocess acceptsMediaType)', () => {
  it.each([
    [undefined, true],
    ['application/json', true],
    ['*/*', true],
    ['application/*', true],
    ['text/html', false],
    ['application/json;q=0, */*', false],
    ['application/x-protobuf', false],
  ])('%s → %s', (accept, ok) => {
    expect(acceptsMediaType(accept, 'application/json')).toBe(ok);
  });
});

describe('MasterInfo', () => {
  it('packs IPv4 as the recorded znodes do, and reads it back', () => {
    expect(packIp('127.0.0.1')).toBe(16777343);
    expect(parseMasterInfo('{"ip":16777343,"port":5050,"id":"x","pid":"master@127.0.0.1:5050"}')?.ip).toBe('127.0.0.1');
  });
});

describe('ZooKeeper URLs', () => {
  it('parses servers, path and credentials', () => {
    expect(parseZkUrl('zk://127.0.0.1:2181/mesos')).toEqual({ servers: '127.0.0.1:2181', path: '/mesos' });
    expect(parseZkUrl('zk://u:p@h1:1,h2:2/a/b')).toEqual({ servers: 'h1:1,h2:2', path: '/a/b', auth: { scheme: 'digest', credentials: 'u:p' } });
    expect(parseZkUrl('127.0.0.1:2181')).toBeInstanceOf(Error);
  });
});

describe('glog lines', () => {
  it('use the glog layout', () => {
    const line = formatLine('INFO', new Date(2026, 10, 21, 14, 53, 40), 662366, 1, 'master.cpp:2174', 'Elected as the leading master!');
    expect(line).toBe('I1121 14:53:40.662366     1 master.cpp:2174] Elected as the leading master!\n');
  });
});
