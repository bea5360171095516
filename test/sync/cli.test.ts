// `waybill sync …` as a person runs it: real processes on real data folders, a real server.
import { describe, expect, it } from 'vitest';
import { enrolDevice } from '../../db/sync/server/index.ts';
import { runCli, type ProcessOutcome } from '../helpers/childProcesses.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { syncServerFixture } from './server/syncServerFixture.ts';

const sync = syncServerFixture();

const json = (outcome: ProcessOutcome) => JSON.parse(outcome.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('waybill sync', () => {
  it('joins, reports, syncs and leaves a data folder, in text and in JSON', async () => {
    const dir = tempDataDir('sync-cli').path;
    expect(json(await runCli(['seed', '--events', '200', '--json'], dir))).toMatchObject({ ok: true });
    expect(json(await runCli(['sync', 'status', '--json'], dir))).toMatchObject({ ok: true, status: { joined: false } });
    const notJoined = await runCli(['sync', 'now'], dir);
    expect(notJoined).toMatchObject({ code: 1, stderr: expect.stringContaining('does not sync with a server yet') });

    const { code } = await enrolDevice(sync.databaseUrl, 'cli-laptop');
    const joined = await runCli(['sync', 'join', sync.url, code], dir);
    expect(joined).toMatchObject({ code: 0, stdout: expect.stringContaining(`syncing with ${sync.url} as cli-laptop`) });
    expect(joined.stdout).toMatch(/waiting to go up: \d+ of \d+ events recorded here/);
    const synced = json(await runCli(['sync', 'now', '--json'], dir));
    expect(synced).toMatchObject({ ok: true, pushed: expect.any(Number), status: { waiting: 0, allOnServer: true, behind: 0, problem: null } });
    const status = await runCli(['sync', 'status'], dir);
    expect(status.stdout).toContain('(everything recorded here is on the server)');
    expect(json(await runCli(['verify', '--json'], dir))).toMatchObject({ ok: true, report: { ok: true, log: { origins: { ok: true, devices: 1 } } } });

    expect(await runCli(['sync', 'join', sync.url, code], dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('already syncs with') });
    expect(json(await runCli(['sync', 'leave', '--json'], dir))).toMatchObject({ ok: true, status: { joined: false } });
    expect(await runCli(['sync', 'frobnicate'], dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('one of join, status, now, leave') });
  });
});
