// glog-style logging, as Mesos configures it (src/logging/logging.cpp):
// - with --log_dir: files `<program>.<host>.<user>.log.<SEVERITY>.<yyyymmdd-hhmmss>.<pid>`
//   plus symlinks `<program>.<SEVERITY>`; a line goes to its severity's file and every
//   lower one (a WARNING is in both the INFO and WARNING files); files are created lazily
//   except INFO;
// - everything also goes to stderr unless --quiet (so `docker logs` shows it).
// Line format: `I1121 14:53:40.662366     1 master.cpp:2174] Elected as the leading master!`
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { currentUser } from '../common/net';
import { nowNs } from '../common/time';

export type Severity = 'INFO' | 'WARNING' | 'ERROR';
const SEVERITIES: Severity[] = ['INFO', 'WARNING', 'ERROR'];

export interface LoggerOptions {
  program: 'mesos-master' | 'mesos-agent';
  logDir?: string;
  quiet: boolean;
  stderr?: NodeJS.WritableStream;
  /** Thread id column; glog prints the thread id, we print the process id. */
  threadId?: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export class Logger {
  private readonly files = new Map<Severity, { fd: number; path: string; link: string }>();
  private readonly threadId: number;
  private closed = false;

  constructor(private readonly opts: LoggerOptions) {
    this.threadId = opts.threadId ?? process.pid;
    if (opts.logDir) {
      fs.mkdirSync(opts.logDir, { recursive: true });
      this.open('INFO');
    }
  }

  /** The `<program>.INFO` symlink (what Mesos attaches and logs as attached), if logging to files. */
  get infoLink(): string | undefined {
    return this.files.get('INFO')?.link;
  }

  info(source: string, msg: string): void {
    this.write('INFO', source, msg);
  }
  warning(source: string, msg: string): void {
    this.write('WARNING', source, msg);
  }
  error(source: string, msg: string): void {
    this.write('ERROR', source, msg);
  }

  close(): void {
    this.closed = true;
    for (const f of this.files.values()) {
      try {
        fs.closeSync(f.fd);
      } catch {
        /* already closed */
      }
    }
    this.files.clear();
  }

  private write(severity: Severity, source: string, msg: string): void {
    if (this.closed) return;
    const ns = nowNs();
    const line = formatLine(severity, new Date(Number(ns / 1_000_000n)), Number((ns / 1000n) % 1_000_000n), this.threadId, source, msg);
    if (this.opts.logDir) {
      for (const s of SEVERITIES.slice(0, SEVERITIES.indexOf(severity) + 1)) {
        const f = this.files.get(s) ?? this.open(s);
        fs.writeSync(f.fd, line);
      }
    }
    if (!this.opts.quiet) (this.opts.stderr ?? process.stderr).write(line);
  }

  private open(severity: Severity): { fd: number; path: string; link: string } {
    const dir = this.opts.logDir!;
    const now = new Date();
    const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(
      now.getMinutes(),
    )}${pad(now.getSeconds())}`;
    const host = os.hostname().split('.')[0] ?? 'localhost';
    const name = `${this.opts.program}.${host}.${currentUser()}.log.${severity}.${stamp}.${process.pid}`;
    const file = path.join(dir, name);
    const fd = fs.openSync(file, 'a');
    fs.writeSync(
      fd,
      `Log file created at: ${now.getFullYear()}/${pad(now.getMonth() + 1)}/${pad(now.getDate())} ${pad(
        now.getHours(),
      )}:${pad(now.getMinutes())}:${pad(now.getSeconds())}\n` +
        `Running on machine: ${host}\n` +
        'Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\n',
    );
    const link = path.join(dir, `${this.opts.program}.${severity}`);
    try {
      fs.rmSync(link, { force: true });
      fs.symlinkSync(name, link);
    } catch {
      /* another process raced us for the link; the file itself is what matters */
    }
    const entry = { fd, path: file, link };
    this.files.set(severity, entry);
    return entry;
  }
}

export function formatLine(severity: Severity, d: Date, micros: number, threadId: number, source: string, msg: string): string {
  return (
    `${severity[0]}${pad(d.getMonth() + 1)}${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)} ` +
    `${String(threadId).padStart(5, ' ')} ${source}] ${msg}\n`
  );
}
