// A ZooKeeper-like group of masters (src/zookeeper/group.cpp): members are ephemeral,
// sequential children of one path; the member with the lowest sequence leads
// (src/zookeeper/detector.cpp: "the leader is the oldest member").

export interface GroupMember {
  /** Sequence number of the `json.info_<seq>` node. */
  seq: number;
  /** Node data: MasterInfo as JSON. */
  data: string;
}

export interface Membership {
  seq: number;
  leave(): Promise<void>;
}

export interface Group {
  join(data: string): Promise<Membership>;
  /** Calls `cb` with the current leader (lowest sequence) now and on every change. */
  watchLeader(cb: (leader: GroupMember | null) => void): () => void;
  /** Called when the membership is lost for good (ZooKeeper session expired). */
  onExpired(cb: () => void): void;
  close(): Promise<void>;
}

/** `json.info_0000000003` → 3; other children (log_replicas, legacy `info_` protobuf nodes) are skipped. */
export function memberSequence(name: string): number | undefined {
  const m = /^json\.info_(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function znodeName(seq: number): string {
  return `json.info_${String(seq).padStart(10, '0')}`;
}

/**
 * An in-process group with ZooKeeper's semantics, for tests that run several masters
 * and agents in one process without a ZooKeeper server.
 */
export class InMemoryGroup {
  private seq = 0;
  private readonly members = new Map<number, string>();
  private readonly listeners = new Set<() => void>();

  /** A handle per participant; closing it leaves like a ZooKeeper session ending. */
  connect(): Group {
    const mine = new Set<number>();
    const unsubscribes = new Set<() => void>();
    return {
      join: async (data) => {
        const seq = this.seq++;
        this.members.set(seq, data);
        mine.add(seq);
        this.changed();
        return {
          seq,
          leave: async () => {
            mine.delete(seq);
            if (this.members.delete(seq)) this.changed();
          },
        };
      },
      watchLeader: (cb) => {
        let last: number | null | undefined;
        const fire = () => {
          const leader = this.leader();
          const key = leader ? leader.seq : null;
          if (key === last) return;
          last = key;
          cb(leader);
        };
        this.listeners.add(fire);
        queueMicrotask(fire);
        const unsubscribe = () => this.listeners.delete(fire);
        unsubscribes.add(unsubscribe);
        return unsubscribe;
      },
      onExpired: () => undefined,
      close: async () => {
        for (const u of unsubscribes) u();
        let changed = false;
        for (const seq of mine) changed = this.members.delete(seq) || changed;
        mine.clear();
        if (changed) this.changed();
      },
    };
  }

  leader(): GroupMember | null {
    let best: GroupMember | null = null;
    for (const [seq, data] of this.members) if (!best || seq < best.seq) best = { seq, data };
    return best;
  }

  private changed(): void {
    setImmediate(() => {
      for (const l of [...this.listeners]) l();
    });
  }
}
