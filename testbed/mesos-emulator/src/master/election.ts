// Leader election. Without --zk the master contends alone and wins at once; with --zk
// (or an in-process group in tests) it joins the group and follows its lowest member
// (src/master/contender/zookeeper.cpp, src/master/detector/zookeeper.cpp).
import { toJson } from '../common/json';
import { watchLeadingMaster } from '../common/master-info';
import type { Logger } from '../logging/glog';
import type { Group, Membership } from '../zk/group';
import type { MasterInfo } from './model';
import { masterInfoZk } from './render-v1';

export interface Election {
  /** Starts contending; `onLeader` gets the detected leader (null: none) on every change. */
  start(onLeader: (leader: MasterInfo | null) => void): void;
  stop(): Promise<void>;
}

export function standaloneElection(self: MasterInfo): Election {
  return {
    start(onLeader) {
      queueMicrotask(() => onLeader(self));
    },
    async stop() {},
  };
}

export interface GroupElectionOptions {
  self: MasterInfo;
  makeGroup: () => Group;
  logger: Logger;
  /** Called when this master must die (lost its ZooKeeper session while leading). */
  onSessionLost: () => void;
}

export function groupElection(opts: GroupElectionOptions): Election {
  const { logger, self } = opts;
  let group: Group | undefined;
  let membership: Membership | undefined;
  let unwatch: (() => void) | undefined;
  let stopped = false;

  const run = (onLeader: (leader: MasterInfo | null) => void) => {
    const g = opts.makeGroup();
    group = g;
    g.onExpired(() => {
      if (stopped) return;
      unwatch?.();
      void g.close();
      opts.onSessionLost();
      if (!stopped) run(onLeader);
    });
    logger.info('contender.cpp:152', 'Joining the ZK group');
    g.join(toJson(masterInfoZk(self)))
      .then((m) => {
        membership = m;
        if (stopped) return void m.leave();
        logger.info('contender.cpp:268', `New candidate (id='${m.seq}') has entered the contest for leadership`);
      })
      .catch((e: unknown) => logger.error('contender.cpp:196', `Failed to contend for leadership: ${(e as Error).message}`));
    unwatch = watchLeadingMaster(g, logger, onLeader, () => stopped);
  };

  return {
    start(onLeader) {
      run(onLeader);
    },
    async stop() {
      stopped = true;
      unwatch?.();
      await membership?.leave().catch(() => undefined);
      await group?.close();
    },
  };
}
