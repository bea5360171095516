// `waybill serve` as a user starts it: machine output with --json, and the same data folder as every
// other subcommand when --data is not given.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/childProcesses.ts';
import { createTempDataDir, type TempDataDir } from '../helpers/tempDataDir.ts';

const made: TempDataDir[] = [];
const temp = (label: string) => {
  const dir = createTempDataDir(label);
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) dir.remove();
});

describe('waybill serve', () => {
  it('with --json prints one JSON line saying where it serves, and stops on SIGTERM with exit 0', async () => {
    const data = temp('serve-json');
    const serve = startCli(['serve', '--json', '--port', '0', '--data', data.path]);
    const line = await serve.firstLine();
    const outcome = await serve.stop('SIGTERM');
    expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(line)).toEqual({ ok: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+$/), port: expect.any(Number), dataDir: data.path, readOnly: false });
    expect(outcome.stdout.trim()).toBe(line);
  }, 120_000);

  it('without --data serves the per-user data folder every other subcommand uses', async () => {
    const home = temp('serve-home');
    const serve = startCli(['serve', '--json', '--port', '0'], { HOME: home.path, XDG_CONFIG_HOME: join(home.path, '.config') });
    const line = await serve.firstLine();
    await serve.stop('SIGTERM');
    expect(JSON.parse(line)).toMatchObject({ dataDir: join(home.path, '.config', 'Waybill', 'data') });
  }, 120_000);
});
