import { describe, expect, it } from 'vitest';
import { runsInItsOwnVm } from './daemon-host';

describe('a daemon in a VM of its own', () => {
  it('is told by what the daemon reports about its host, not by the OS this app runs on', () => {
    // docker info of Docker Desktop (macOS, Windows and Linux alike), Colima, Rancher Desktop, OrbStack.
    expect(runsInItsOwnVm({ name: 'docker-desktop', operatingSystem: 'Docker Desktop' })).toBe(true);
    expect(runsInItsOwnVm({ name: 'colima', operatingSystem: 'Ubuntu 24.04.1 LTS' })).toBe(true);
    expect(runsInItsOwnVm({ name: 'lima-rancher-desktop', operatingSystem: 'Rancher Desktop WSL Distribution' })).toBe(true);
    expect(runsInItsOwnVm({ name: 'orbstack', operatingSystem: 'OrbStack' })).toBe(true);
    // Docker Engine on a Linux machine, whatever its hostname.
    expect(runsInItsOwnVm({ name: 'vm', operatingSystem: 'Debian GNU/Linux 12 (bookworm)' })).toBe(false);
    expect(runsInItsOwnVm({ name: 'build-01', operatingSystem: 'Ubuntu 24.04 LTS' })).toBe(false);
  });
});
