import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { demultiplexLines } from '../logs/container-log';

/** The last lines a container wrote (stdout and stderr, demultiplexed), for error messages. */
export async function lastLogLines(docker: Dockerode, containerId: string, lines = 15): Promise<string[]> {
  try {
    const container = docker.getContainer(containerId);
    const info = await container.inspect();
    const raw = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    const text = info.Config.Tty ? raw.toString('utf8') : await demultiplex(docker, raw);
    return text.split('\n').filter((line) => line.trim() !== '');
  } catch {
    return [];
  }
}

/** Docker's multiplexed stdout/stderr frames as one text, in the order they came. */
async function demultiplex(docker: Dockerode, raw: Buffer): Promise<string> {
  const source = Readable.from([raw]);
  let text = '';
  const lines = demultiplexLines(docker, source, (assembled) => (text += assembled.text));
  await new Promise((resolve) => source.on('end', resolve));
  lines.flush();
  return text;
}
