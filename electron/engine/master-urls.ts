import type { ClusterLayout } from '@shared/cluster/layout';

/** How this machine reaches a cluster's masters: the one place their URLs are made. */

/** Every master's base URL, on the host address (host network) or the port published there (bridge). */
export const masterUrls = (cluster: { layout: ClusterLayout }): string[] => cluster.layout.masters.map((m) => `http://${cluster.layout.hostAddress}:${m.port}`);

/** On a bridge network every node port is published on the host address at the same number. */
export function publishedUrl(url: string, hostAddress: string): string {
  const u = new URL(url);
  u.hostname = hostAddress;
  return u.origin;
}

/**
 * What turns a master URL Mesos names (a redirect, a leader's hostname) into one this machine reaches:
 * on a bridge the container's hostname becomes its published port; in host mode it is reachable as is.
 */
export function reachableUrl(layout: ClusterLayout): ((url: string) => string) | undefined {
  return layout.network === 'bridge' ? (url: string) => publishedUrl(url, layout.hostAddress) : undefined;
}
