import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { demultiplexLines } from '../logs/container-log';

/** glog's error and fatal lines, e.g. "E1207 19:16:45.950 15072 slave.cpp:8103] EXIT with status 1: …". */
const GLOG_FAILURE = /^[EF]\d{4} /;

/**
 * The last lines a container wrote (stdout and stderr, demultiplexed), for error messages. A Mesos
 * daemon that gives up prints why on one glog line and then advice many lines long (a failed agent
 * recovery: 15 lines on what to delete and restart), so the window alone would show only the advice:
 * the last error line before the window is kept in front of it.
 */
export async function lastLogLines(docker: Dockerode, containerId: string, lines = 15): Promise<string[]> {
  try {
    const container = docker.getContainer(containerId);
    const info = await container.inspect();
    const raw = (await container.logs({ stdout: true, stderr: true, tail: lines * 8, follow: false })) as unknown as Buffer;
    const text = info.Config.Tty ? raw.toString('utf8') : await demultiplex(docker, raw);
    return lastLinesWithCause(text.split('\n'), lines);
  } catch {
    return [];
  }
}

/**
 * The last `count` non-blank lines of a log, with the last glog error or fatal line in front (and '…')
 * when it came before them.
 */
export function lastLinesWithCause(log: readonly string[], count: number): string[] {
  const all = log.filter((line) => line.trim() !== '');
  const last = all.slice(-count);
  if (last.some((line) => GLOG_FAILURE.test(line))) return last;
  const cause = all.slice(0, -count).findLast((line) => GLOG_FAILURE.test(line));
  return cause ? [cause, '…', ...last] : last;
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
