import { describe, expect, it } from 'vitest';
import { checkWorkRoot, workRootFor } from './work-root';

describe('the work root', () => {
  it("is beside the daemon's own data folder on the Docker host, unless MESOSCOPE_WORK_ROOT says otherwise", () => {
    expect(workRootFor({ dockerRootDir: '/var/lib/docker' }, {})).toBe('/var/lib/mesoscope');
    // Rootless Docker may write only under its user's home.
    expect(workRootFor({ dockerRootDir: '/home/ann/.local/share/docker' }, {})).toBe('/home/ann/.local/share/mesoscope');
    expect(workRootFor({ dockerRootDir: '/var/lib/docker' }, { MESOSCOPE_WORK_ROOT: '/srv/mesos-work' })).toBe('/srv/mesos-work');
  });

  it('is a posix path on the Docker host: a Windows path or a relative one is refused, naming the field', () => {
    for (const bad of ['C:\\Users\\ann\\mesos', 'relative/dir', '/var/lib/../etc', '/', '/a,b', '/with:colon']) {
      expect(() => checkWorkRoot(bad)).toThrow(/^workRoot: .* must be an absolute path on the Docker host/);
    }
    expect(() => checkWorkRoot('/tmp/mesoscope-work-x1')).not.toThrow();
  });
});
