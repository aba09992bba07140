// Addresses and libprocess PIDs.
import os from 'node:os';

export interface Pid {
  id: string;
  ip: string;
  port: number;
}

/** `master@127.0.0.1:5050` → {id, ip, port}. */
export function parsePid(pid: string): Pid | undefined {
  const m = /^(.+)@([^@]+):(\d+)$/.exec(pid);
  if (!m) return undefined;
  return { id: m[1]!, ip: m[2]!, port: Number(m[3]) };
}

export function formatPid(p: Pid): string {
  return `${p.id}@${p.ip}:${p.port}`;
}

/**
 * MasterInfo.ip: the IPv4 address in network byte order read as a little-endian
 * uint32 (docs/mesos/api.md §6): 127.0.0.1 → 16777343.
 */
export function packIp(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  return (((parts[3]! << 24) >>> 0) + (parts[2]! << 16) + (parts[1]! << 8) + parts[0]!) >>> 0;
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip === 'localhost';
}

/** The address libprocess would advertise when bound to 0.0.0.0: the first external IPv4. */
export function defaultAdvertiseIp(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return '127.0.0.1';
}

/**
 * Reverse lookup without touching the network: loopback names itself "localhost" (as the
 * recorded agent's `master_hostname` shows); anything else stays an IP. See README.
 */
export function lookupHostname(ip: string): string {
  if (isLoopback(ip)) return 'localhost';
  if (ip === '0.0.0.0') return os.hostname();
  return ip;
}

export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}
