// `npm test` on a fresh machine: Chromium installed where it can be, otherwise one clear stop.
import { describe, expect, it } from 'vitest';
import { chromiumPlan, type Machine } from './chromium.ts';

const fresh: Machine = { chromium: '/usr/bin/chromium', exists: () => false, isRoot: false, hasApt: true };

describe('Chromium for the browser tests', () => {
  it('does nothing when it is there', () => {
    expect(chromiumPlan({ ...fresh, exists: (path) => path === '/usr/bin/chromium' })).toEqual({ action: 'none' });
  });

  it('installs Debian’s package as root where apt is', () => {
    expect(chromiumPlan({ ...fresh, isRoot: true })).toEqual({ action: 'install', command: ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium'] });
  });

  it('otherwise stops at once with the one command to run', () => {
    expect(chromiumPlan(fresh)).toEqual({
      action: 'stop',
      message: 'npm test: the browser tests need Chromium at /usr/bin/chromium, and it is not there. Run `sudo apt-get install -y chromium` (or point WAYBILL_CHROMIUM at a Chromium), then `npm test` again. The tests never download a browser.',
    });
  });

  it('never installs over a Chromium named elsewhere, and says so without apt', () => {
    expect(chromiumPlan({ chromium: '/opt/chromium/chrome', exists: () => false, isRoot: true, hasApt: false })).toEqual({
      action: 'stop',
      message: expect.stringContaining("at /opt/chromium/chrome, and it is not there. Install Chromium with this system's package manager (or point WAYBILL_CHROMIUM"),
    });
  });
});
