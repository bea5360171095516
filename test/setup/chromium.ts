// Vitest global setup: the browser tests drive Debian's Chromium and never download a browser.
// When it is missing, `npm test` installs it where it can (as root, with apt, as .ci/run does) or
// stops at once with the one command to run, instead of failing every browser test one by one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from '../e2e/chromiumPath.ts';

export interface Machine {
  chromium: string;
  exists: (path: string) => boolean;
  isRoot: boolean;
  hasApt: boolean;
}

export type ChromiumPlan = { action: 'none' } | { action: 'install'; command: string[] } | { action: 'stop'; message: string };

const APT_INSTALL = ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium'];

/** What `npm test` does about Chromium on this machine. */
export function chromiumPlan(machine: Machine): ChromiumPlan {
  if (machine.exists(machine.chromium)) return { action: 'none' };
  // Only Debian's own package is installed for the user; a browser elsewhere is named with WAYBILL_CHROMIUM.
  if (machine.chromium === '/usr/bin/chromium' && machine.isRoot && machine.hasApt) return { action: 'install', command: APT_INSTALL };
  const fix = machine.hasApt ? 'Run `sudo apt-get install -y chromium`' : "Install Chromium with this system's package manager";
  return {
    action: 'stop',
    message: `npm test: the browser tests need Chromium at ${machine.chromium}, and it is not there. ${fix} (or point WAYBILL_CHROMIUM at a Chromium), then \`npm test\` again. The tests never download a browser.`,
  };
}

export default function chromium(): void {
  const plan = chromiumPlan({
    chromium: chromiumPath,
    exists: existsSync,
    isRoot: process.getuid?.() === 0,
    hasApt: spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0,
  });
  if (plan.action === 'none') return;
  if (plan.action === 'stop') throw new Error(plan.message);
  console.log(`npm test: Chromium is missing; installing Debian's package (${plan.command.join(' ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const step of [['apt-get', 'update', '-qq'], plan.command]) {
    const ran = spawnSync(step[0]!, step.slice(1), { stdio: 'inherit', env });
    if (ran.status !== 0) throw new Error(`npm test: \`${step.join(' ')}\` failed (exit ${ran.status}); install Chromium by hand, then \`npm test\` again.`);
  }
  if (!existsSync(chromiumPath)) throw new Error(`npm test: apt installed chromium, yet ${chromiumPath} is still missing; set WAYBILL_CHROMIUM to where it is.`);
}
