// `--zk` / `--master` ZooKeeper URLs: zk://[user:password@]host1:port1[,host2:port2]/path,
// or file:///path/to/a/file holding such a URL (docs/mesos/api.md §7.2).
import fs from 'node:fs';

export interface ZkUrl {
  servers: string;
  path: string;
  auth?: { scheme: 'digest'; credentials: string };
}

export function parseZkUrl(text: string): ZkUrl | Error {
  let url = text.trim();
  if (url.startsWith('file://')) {
    try {
      url = fs.readFileSync(url.slice('file://'.length), 'utf8').trim();
    } catch (e) {
      return new Error(`Failed to read ZooKeeper URL from '${url}': ${(e as Error).message}`);
    }
  }
  if (!url.startsWith('zk://')) return new Error(`Expecting 'zk://' at the beginning of the URL`);
  let rest = url.slice('zk://'.length);
  let auth: ZkUrl['auth'];
  const at = rest.indexOf('@');
  const slash = rest.indexOf('/');
  if (at >= 0 && (slash < 0 || at < slash)) {
    auth = { scheme: 'digest', credentials: rest.slice(0, at) };
    rest = rest.slice(at + 1);
  }
  const pathStart = rest.indexOf('/');
  const servers = pathStart < 0 ? rest : rest.slice(0, pathStart);
  const path = pathStart < 0 ? '/' : rest.slice(pathStart).replace(/\/+$/, '') || '/';
  if (servers === '') return new Error(`Expecting at least one ZooKeeper server in '${url}'`);
  return auth ? { servers, path, auth } : { servers, path };
}
