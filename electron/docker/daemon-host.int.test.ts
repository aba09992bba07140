import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { daemonHost, hostNetworkIsOurs, runsInItsOwnVm } from './daemon-host';
import { HELPER_LABEL } from './helper-container';
import { autoNetworkFor } from '../engine/network-mode';

// Integration: the real daemon of this Linux machine shares its host network with this process.
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

describe('the daemon this machine runs', () => {
  it('reports a host that is not a VM of its own, with its data folder', async () => {
    const host = await daemonHost(docker);
    expect(host.id).not.toBe('');
    expect(host.dockerRootDir).toMatch(/^\//);
    expect(runsInItsOwnVm(host)).toBe(false);
  });

  it('shares its host network with this process: a helper on it reaches a port only this process listens on', async () => {
    expect(await hostNetworkIsOurs(docker, 'mesoscope/debian-base:bookworm')).toBe(true);
    expect(await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL], ancestor: ['mesoscope/debian-base:bookworm'] } })).toEqual([]);
  }, 60_000);
});

describe('network auto', () => {
  it('is the host network on this machine, decided by the helper, not by the OS name', async () => {
    expect(await autoNetworkFor(docker, ['not-present/nowhere:1', 'mesoscope/debian-base:bookworm'])).toBe('host');
  }, 60_000);
});
