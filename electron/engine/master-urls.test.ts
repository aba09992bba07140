import { describe, expect, it } from 'vitest';
import type { ClusterLayout } from '@shared/cluster/layout';
import { masterUrls, reachableUrl } from './master-urls';

const layout = (network: ClusterLayout['network']): ClusterLayout => ({
  network,
  hostAddress: '127.0.0.1',
  zookeeper: { port: 2181 },
  masters: [
    { index: 1, port: 5050 },
    { index: 2, port: 5060 },
  ],
  agents: [],
});

describe('master URLs', () => {
  it('are the masters on the host address, in their order', () => {
    expect(masterUrls({ layout: layout('host') })).toEqual(['http://127.0.0.1:5050', 'http://127.0.0.1:5060']);
  });

  it('take a master Mesos names by container hostname to its published port on a bridge, and leave host mode as is', () => {
    expect(reachableUrl(layout('bridge'))?.('http://mesoscope-demo-master-2:5060/master/state')).toBe('http://127.0.0.1:5060');
    expect(reachableUrl(layout('host'))).toBeUndefined();
  });
});
