import { PassThrough } from 'node:stream';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { Assembled } from './line-assembler';
import { demultiplexLines, type StreamName } from './container-log';

/** One frame of Docker's multiplexed stream: [type, 0, 0, 0, length (u32 BE)] then the payload. */
function frame(type: 1 | 2, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

async function demux(chunks: Buffer[]): Promise<Array<[StreamName, string]>> {
  const source = new PassThrough();
  const out: Array<[StreamName, string]> = [];
  const { flush } = demultiplexLines(new Dockerode({ socketPath: '/nonexistent.sock' }), source, (lines: Assembled, stream) => {
    for (const line of lines.text.split('\n').slice(0, -1)) out.push([stream, line]);
  });
  const ended = new Promise((resolve) => source.on('end', resolve));
  for (const c of chunks) source.write(c);
  source.end();
  await ended;
  flush();
  return out;
}

describe('Docker stream demultiplexing', () => {
  const euro = Buffer.from('€', 'utf8');
  const stream = Buffer.concat([
    frame(1, 'out 1\nout 2\n'),
    frame(2, 'err 1\n'),
    frame(1, 'out 3 starts '),
    frame(2, Buffer.concat([Buffer.from('err 2 '), euro.subarray(0, 1)])),
    frame(2, Buffer.concat([euro.subarray(1), Buffer.from('\n')])),
    frame(1, 'and ends\n'),
    frame(1, 'no newline at the end'),
  ]);
  const expected: Array<[StreamName, string]> = [
    ['stdout', 'out 1'],
    ['stdout', 'out 2'],
    ['stderr', 'err 1'],
    ['stderr', 'err 2 €'],
    ['stdout', 'out 3 starts and ends'],
    ['stdout', 'no newline at the end'],
  ];

  it('separates stdout and stderr into whole lines, in the order the frames came', async () => {
    expect(await demux([stream])).toEqual(expected);
  });

  it('is not thrown by chunks that split a frame header, a payload or a character', async () => {
    for (const size of [1, 3, 7, 8, 9, 13]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      expect(await demux(chunks)).toEqual(expected);
    }
  });
});
