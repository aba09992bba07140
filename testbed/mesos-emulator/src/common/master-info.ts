// Reading a MasterInfo back from a group member's data (what detectors do).
import type { Logger } from '../logging/glog';
import type { Group } from '../zk/group';
import { parsePid } from './net';

export interface DetectedMaster {
  id: string;
  ip: string;
  port: number;
  pid: string;
  hostname: string;
  version: string;
  capabilities: string[];
}

/** Parses MasterInfo JSON; prefers `address` over the packed `ip` (docs/mesos/api.md §6). */
export function parseMasterInfo(text: string): DetectedMaster | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const address = (raw.address ?? {}) as Record<string, unknown>;
  const packed = typeof raw.ip === 'number' ? raw.ip : 0;
  const ip =
    typeof address.ip === 'string'
      ? address.ip
      : [packed & 255, (packed >>> 8) & 255, (packed >>> 16) & 255, packed >>> 24].join('.');
  const port = typeof address.port === 'number' ? address.port : Number(raw.port ?? 0);
  const pid = typeof raw.pid === 'string' ? raw.pid : `master@${ip}:${port}`;
  if (!parsePid(pid)) return undefined;
  return {
    id: String(raw.id ?? ''),
    ip,
    port,
    pid,
    hostname: typeof raw.hostname === 'string' ? raw.hostname : typeof address.hostname === 'string' ? address.hostname : ip,
    version: String(raw.version ?? ''),
    capabilities: Array.isArray(raw.capabilities)
      ? (raw.capabilities as Array<{ type?: string }>).map((c) => String(c.type ?? ''))
      : [],
  };
}

/**
 * Follows the group's leader (its lowest member) as a MasterInfo, logging each change as Mesos'
 * detector does (src/master/detector/zookeeper.cpp). A member whose data is not MasterInfo counts as none.
 */
export function watchLeadingMaster(group: Group, logger: Logger, onLeader: (leader: DetectedMaster | null) => void, stopped: () => boolean): () => void {
  return group.watchLeader((member) => {
    if (stopped()) return;
    const info = member ? parseMasterInfo(member.data) : undefined;
    if (!info) {
      onLeader(null);
      return;
    }
    logger.info('zookeeper.cpp:262', `A new leading master (UPID=${info.pid}) is detected`);
    onLeader(info);
  });
}
