import { describe, expect, it } from 'vitest';
import { openRecordingDialog } from './open-recording';

describe('opening a recording in the desktop app', () => {
  it('asks with the system dialog for one .mesorec file and gives its path; null when cancelled', async () => {
    const asked: unknown[] = [];
    let answer = { canceled: false, filePaths: ['/home/me/session.mesorec'] };
    const choose = openRecordingDialog({ showOpenDialog: async (...args: unknown[]) => (asked.push(args.at(-1)), answer) } as never, () => undefined);
    expect(await choose()).toBe('/home/me/session.mesorec');
    expect(asked[0]).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['mesorec'] }, { extensions: ['*'] }] });
    answer = { canceled: true, filePaths: [] };
    expect(await choose()).toBeNull();
  });
});
