// The `/files` process (src/files/files.cpp), the same on master and agent: only attached
// virtual paths, and what lies below them, can be reached (docs/mesos/api.md §5.2).
import fs from 'node:fs';
import path from 'node:path';
import { dbl, sortedObject, type JsonObject } from '../common/json';

/** 16 pages: the cap on one read (docs/mesos/api.md §0.18). */
export const PAGE_SIZE = 4096;
export const MAX_READ = 16 * PAGE_SIZE;

export type FilesError = { kind: 'not-found'; message: string } | { kind: 'invalid'; message: string };

export interface FileEntry {
  /** Virtual path as the client asked for it, plus the entry name. */
  path: string;
  stat: fs.Stats;
}

export class Files {
  private readonly paths = new Map<string, string>();

  /** Mesos attaches the realpath (so /files/debug shows the log file, not its symlink). */
  attach(realPath: string, virtualPath: string): void {
    this.paths.set(trimSlashes(virtualPath), fs.realpathSync(realPath));
  }

  detach(virtualPath: string): void {
    this.paths.delete(trimSlashes(virtualPath));
  }

  /** `/files/debug`: virtual → real, sorted like a std::map. */
  debug(): JsonObject {
    const out: JsonObject = {};
    for (const [k, v] of this.paths) out[k] = v;
    return sortedObject(out);
  }

  /** Longest attached prefix, then the rest joined below it; never escapes the attached root. */
  resolve(requested: string): string | FilesError {
    const notFound: FilesError = { kind: 'not-found', message: '' };
    const clean = trimSlashes(path.posix.normalize('/' + requested));
    if (clean.split('/').includes('..')) return { kind: 'invalid', message: "Path cannot contain '..'" };
    const parts = clean.split('/').filter((p) => p !== '');
    for (let n = parts.length; n >= 1; n--) {
      const prefix = '/' + parts.slice(0, n).join('/');
      const base = this.paths.get(prefix);
      if (base === undefined) continue;
      const suffix = parts.slice(n);
      if (suffix.length === 0) return base;
      let real: string;
      try {
        if (!fs.statSync(base).isDirectory()) return notFound;
        real = fs.realpathSync(path.join(base, ...suffix));
      } catch {
        return notFound;
      }
      if (real !== base && !real.startsWith(base.endsWith('/') ? base : base + '/')) return notFound;
      return real;
    }
    return notFound;
  }

  /** Entries of a directory sorted by path; a file (or anything else) lists as empty, as Mesos does. */
  browse(requested: string): FileEntry[] | FilesError {
    const real = this.resolve(requested);
    if (typeof real !== 'string') return real;
    let names: string[];
    try {
      if (!fs.statSync(real).isDirectory()) return [];
      names = fs.readdirSync(real);
    } catch {
      return [];
    }
    const base = trimTrailing(requested);
    const out: FileEntry[] = [];
    for (const name of names) {
      try {
        out.push({ path: `${base}/${name}`, stat: fs.statSync(path.join(real, name)) });
      } catch {
        /* vanished or dangling symlink */
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Reads up to `length` bytes (capped at 16 pages) from `offset`. offset -1 reads nothing
   * and reports the size as the offset (docs/mesos/api.md §5.2).
   */
  read(requested: string, offset: number, length: number | undefined): { offset: number; data: Buffer; size: number } | FilesError {
    const real = this.resolve(requested);
    if (typeof real !== 'string') return real;
    let st: fs.Stats;
    try {
      st = fs.statSync(real);
    } catch {
      return { kind: 'not-found', message: '' };
    }
    if (st.isDirectory()) return { kind: 'invalid', message: 'Cannot read a directory' };
    const size = st.size;
    if (offset === -1) return { offset: size, data: Buffer.alloc(0), size };
    if (offset >= size) return { offset, data: Buffer.alloc(0), size };
    const want = Math.min(length === undefined || length === -1 ? MAX_READ : length, MAX_READ, size - offset);
    const data = Buffer.alloc(want);
    const fd = fs.openSync(real, 'r');
    try {
      const n = fs.readSync(fd, data, 0, want, offset);
      return { offset, data: data.subarray(0, n), size };
    } finally {
      fs.closeSync(fd);
    }
  }

  download(requested: string): { real: string; data: Buffer } | FilesError {
    const real = this.resolve(requested);
    if (typeof real !== 'string') return real;
    try {
      if (fs.statSync(real).isDirectory()) return { kind: 'invalid', message: 'Cannot download a directory' };
      return { real, data: fs.readFileSync(real) };
    } catch {
      return { kind: 'not-found', message: '' };
    }
  }
}

function trimSlashes(p: string): string {
  const t = p.replace(/\/+$/, '');
  return t.startsWith('/') ? t : '/' + t;
}

function trimTrailing(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** `-rw-r--r--` / `drwxr-xr-x`, as /files/browse shows `mode`. */
export function modeString(mode: number): string {
  const type =
    (mode & fs.constants.S_IFMT) === fs.constants.S_IFDIR ? 'd'
    : (mode & fs.constants.S_IFMT) === fs.constants.S_IFLNK ? 'l'
    : (mode & fs.constants.S_IFMT) === fs.constants.S_IFCHR ? 'c'
    : (mode & fs.constants.S_IFMT) === fs.constants.S_IFBLK ? 'b'
    : (mode & fs.constants.S_IFMT) === fs.constants.S_IFIFO ? 'p'
    : (mode & fs.constants.S_IFMT) === fs.constants.S_IFSOCK ? 's'
    : '-';
  const bits = 'rwxrwxrwx';
  let perms = '';
  for (let i = 0; i < 9; i++) perms += mode & (1 << (8 - i)) ? bits[i] : '-';
  return type + perms;
}

let users: Map<number, string> | undefined;
let groups: Map<number, string> | undefined;

function readIdFile(file: string): Map<number, string> {
  const out = new Map<number, string>();
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id !== undefined && id !== '') out.set(Number(id), name);
    }
  } catch {
    /* no such file */
  }
  return out;
}

export function userName(uid: number): string {
  users ??= readIdFile('/etc/passwd');
  return users.get(uid) ?? String(uid);
}

export function groupName(gid: number): string {
  groups ??= readIdFile('/etc/group');
  return groups.get(gid) ?? String(gid);
}

/** One /files/browse entry (keys sorted, as Mesos' JSON::Object writes them). */
export function browseEntryV0(e: FileEntry): JsonObject {
  return {
    gid: groupName(e.stat.gid),
    mode: modeString(e.stat.mode),
    mtime: dbl(Math.floor(e.stat.mtimeMs / 1000)),
    nlink: e.stat.nlink,
    path: e.path,
    size: e.stat.size,
    uid: userName(e.stat.uid),
  };
}

/** v1 `FileInfo`. */
export function fileInfoV1(e: FileEntry): JsonObject {
  return {
    path: e.path,
    nlink: e.stat.nlink,
    size: e.stat.size,
    mtime: { nanoseconds: BigInt(Math.floor(e.stat.mtimeMs / 1000)) * 1_000_000_000n },
    mode: e.stat.mode,
    uid: userName(e.stat.uid),
    gid: groupName(e.stat.gid),
  };
}

/**
 * The /files/read body, byte-exact: `data` holds the raw file bytes in a JSON string;
 * control characters are escaped, bytes ≥ 0x80 pass through unchanged (docs/mesos/api.md §5.2).
 */
export function readBodyV0(offset: number, data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from('{"data":"', 'ascii')];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    let esc: string | undefined;
    if (b === 0x22) esc = '\\"';
    else if (b === 0x5c) esc = '\\\\';
    else if (b === 0x08) esc = '\\b';
    else if (b === 0x0c) esc = '\\f';
    else if (b === 0x0a) esc = '\\n';
    else if (b === 0x0d) esc = '\\r';
    else if (b === 0x09) esc = '\\t';
    else if (b < 0x20) esc = `\\u${b.toString(16).padStart(4, '0')}`;
    if (esc !== undefined) {
      parts.push(data.subarray(start, i), Buffer.from(esc, 'ascii'));
      start = i + 1;
    }
  }
  parts.push(data.subarray(start), Buffer.from(`","offset":${offset}}`, 'ascii'));
  return Buffer.concat(parts);
}
