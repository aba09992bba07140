// How an agent finds the leading master (--master): a fixed `host:port` (or
// `master@ip:port`), or the ZooKeeper group at `zk://…/path` (docs/mesos/api.md §6, §7.3).
import dns from 'node:dns/promises';
import net from 'node:net';
import { watchLeadingMaster } from '../common/master-info';
import type { Logger } from '../logging/glog';
import type { Group } from '../zk/group';

export interface DetectedLeader {
  pid: string;
  id?: string;
}

export interface MasterDetector {
  /** Calls `onLeader` with the leader now and on every change (null: none). */
  start(onLeader: (leader: DetectedLeader | null) => void): void;
  stop(): Promise<void>;
}

/** StandaloneMasterDetector: the one master named on the command line. */
export function standaloneDetector(master: string, logger: Logger): MasterDetector {
  let stopped = false;
  return {
    start(onLeader) {
      void (async () => {
        const text = master.replace(/^master@/, '');
        const colon = text.lastIndexOf(':');
        const host = colon < 0 ? text : text.slice(0, colon);
        const port = colon < 0 ? 5050 : Number(text.slice(colon + 1));
        let ip = host;
        if (!net.isIP(host)) {
          try {
            ip = (await dns.lookup(host, { family: 4 })).address;
          } catch (e) {
            logger.error('main.cpp:0', `Failed to resolve master hostname '${host}': ${(e as Error).message}`);
            return;
          }
        }
        if (!stopped) onLeader({ pid: `master@${ip}:${port}` });
      })();
    },
    async stop() {
      stopped = true;
    },
  };
}

/** The ZooKeeper (or in-process) group detector: the member with the lowest sequence. */
export function groupDetector(makeGroup: () => Group, logger: Logger): MasterDetector {
  let group: Group | undefined;
  let unwatch: (() => void) | undefined;
  let stopped = false;
  const run = (onLeader: (leader: DetectedLeader | null) => void) => {
    const g = makeGroup();
    group = g;
    g.onExpired(() => {
      unwatch?.();
      void g.close();
      if (!stopped) run(onLeader);
    });
    unwatch = watchLeadingMaster(g, logger, (info) => onLeader(info && { pid: info.pid, id: info.id }), () => stopped);
  };
  return {
    start: run,
    async stop() {
      stopped = true;
      unwatch?.();
      await group?.close();
    },
  };
}
