// The group on a real ZooKeeper, through node-zookeeper-client: members are
// `<path>/json.info_<10-digit seq>` nodes created EPHEMERAL_SEQUENTIAL holding MasterInfo
// JSON (docs/mesos/api.md §6, transcripts/ha/zk-ls.txt).
import zookeeper from 'node-zookeeper-client';
import type { Logger } from '../logging/glog';
import { memberSequence, type Group, type GroupMember, type Membership } from './group';
import type { ZkUrl } from './url';

export interface ZkGroupOptions {
  url: ZkUrl;
  sessionTimeoutMs: number;
  logger: Logger;
  /** For the log line "Group process (zookeeper-group(1)@127.0.0.1:5050) connected to ZooKeeper". */
  processAddress: string;
}

let groupCounter = 0;

export class ZkGroup implements Group {
  private readonly client: zookeeper.Client;
  private readonly ready: Promise<void>;
  private readonly expiredCallbacks: Array<() => void> = [];
  private closed = false;
  private readonly name: string;

  constructor(private readonly opts: ZkGroupOptions) {
    this.name = `zookeeper-group(${++groupCounter})@${opts.processAddress}`;
    this.client = zookeeper.createClient(opts.url.servers, {
      sessionTimeout: opts.sessionTimeoutMs,
      spinDelay: 1000,
      retries: 0,
    });
    if (opts.url.auth) this.client.addAuthInfo(opts.url.auth.scheme, Buffer.from(opts.url.auth.credentials));
    let resolveReady!: () => void;
    this.ready = new Promise((r) => (resolveReady = r));
    this.client.on('state', (state: zookeeper.State) => {
      if (this.closed) return;
      if (state === zookeeper.State.SYNC_CONNECTED) {
        if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
        this.reconnectTimer = undefined;
        opts.logger.info('group.cpp:341', `Group process (${this.name}) connected to ZooKeeper`);
        opts.logger.info('group.cpp:831', 'Syncing group operations: queue size (joins, cancels, datas) = (0, 0, 0)');
        resolveReady();
      } else if (state === zookeeper.State.DISCONNECTED) {
        opts.logger.warning('group.cpp:403', 'Lost connection to ZooKeeper, attempting to reconnect ...');
        // GroupProcess gives up after a session timeout without a connection, as ZooKeeper
        // would have expired the session by then (a restarted server may never say so).
        this.reconnectTimer ??= setTimeout(() => this.expire(true), opts.sessionTimeoutMs);
        this.reconnectTimer.unref();
      } else if (state === zookeeper.State.EXPIRED) {
        this.expire(false);
      }
    });
    this.client.connect();
  }

  private reconnectTimer: NodeJS.Timeout | undefined;

  private expire(forced: boolean): void {
    if (this.closed) return;
    const session = this.client.getSessionId().toString('hex');
    if (forced) {
      this.opts.logger.warning(
        'group.cpp:473',
        `Timed out waiting to reconnect to ZooKeeper. Forcing ZooKeeper session (sessionId=${session}) expiration`,
      );
    } else {
      this.opts.logger.warning('group.cpp:485', `ZooKeeper session expired (sessionId=${session})`);
    }
    void this.close();
    for (const cb of this.expiredCallbacks) cb();
  }

  onExpired(cb: () => void): void {
    this.expiredCallbacks.push(cb);
  }

  private pathReady: Promise<void> | undefined;

  private ensurePath(): Promise<void> {
    this.pathReady ??= (async () => {
      await this.ready;
      this.opts.logger.info('group.cpp:419', `Trying to create path '${this.opts.url.path}' in ZooKeeper`);
      await new Promise<void>((resolve, reject) =>
        this.client.mkdirp(this.opts.url.path, (err) => (err ? reject(err) : resolve())),
      );
    })().catch((e: unknown) => {
      this.pathReady = undefined;
      throw e;
    });
    return this.pathReady;
  }

  async join(data: string): Promise<Membership> {
    await this.ensurePath();
    const prefix = `${this.opts.url.path === '/' ? '' : this.opts.url.path}/json.info_`;
    const created = await new Promise<string>((resolve, reject) =>
      this.client.create(prefix, Buffer.from(data, 'utf8'), zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    const seq = memberSequence(created.slice(created.lastIndexOf('/') + 1)) ?? -1;
    return {
      seq,
      leave: () =>
        new Promise<void>((resolve) => {
          if (this.closed) return resolve();
          this.client.remove(created, () => resolve());
        }),
    };
  }

  watchLeader(cb: (leader: GroupMember | null) => void): () => void {
    let active = true;
    let last: number | null | undefined;
    const check = async (): Promise<void> => {
      if (!active || this.closed) return;
      try {
        await this.ensurePath();
        const children = await new Promise<string[]>((resolve, reject) =>
          this.client.getChildren(
            this.opts.url.path,
            () => void check(),
            (err, kids) => (err ? reject(err) : resolve(kids)),
          ),
        );
        let lowest: { seq: number; name: string } | undefined;
        for (const name of children) {
          const seq = memberSequence(name);
          if (seq !== undefined && (!lowest || seq < lowest.seq)) lowest = { seq, name };
        }
        if (!lowest) {
          if (last !== null) {
            last = null;
            cb(null);
          }
          return;
        }
        if (lowest.seq === last) return;
        const nodePath = `${this.opts.url.path === '/' ? '' : this.opts.url.path}/${lowest.name}`;
        this.opts.logger.info('detector.cpp:152', `Detected a new leader: (id='${lowest.seq}')`);
        this.opts.logger.info('group.cpp:700', `Trying to get '${nodePath}' in ZooKeeper`);
        const data = await new Promise<Buffer>((resolve, reject) =>
          this.client.getData(nodePath, (err, d) => (err ? reject(err) : resolve(d))),
        );
        if (!active) return;
        last = lowest.seq;
        cb({ seq: lowest.seq, data: data.toString('utf8') });
      } catch {
        // Connection loss or a node vanishing between list and read: look again shortly.
        if (active && !this.closed) setTimeout(() => void check(), 500).unref();
      }
    };
    void check();
    return () => {
      active = false;
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.client.close();
  }
}
