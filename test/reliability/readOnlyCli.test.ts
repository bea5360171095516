// Scenario 6b: read-only through the CLI and browser mode, as an operator runs them. `--read-only`
// opens the folder without writing to it: query, status, verify, backup and export answer and not
// one byte of the folder changes; the subcommands that record refuse the flag as a usage error
// before touching anything; a folder that cannot be written names the flag; `serve --read-only`
// answers queries and refuses commands. On a real read-only filesystem where this process may
// mount one (chmod does not stop root); the rest on a writable folder.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { backupLog } from '../../db/log/backupLog.ts';
import { exportEvents } from '../../db/log/exportEvents.ts';
import { verifyLog } from '../../db/log/verifyLog.ts';
import { runServe } from '../../db/serve/main.ts';
import { lastJson, runCli, type ProcessOutcome } from '../helpers/childProcesses.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { fileHash } from './helpers/damage.ts';
import { canMount, mountTmpfs, type SmallFilesystem } from './helpers/smallFilesystem.ts';
import { roundCommands, SETUP } from './helpers/workload.ts';
import { folderListing } from './helpers/folderListing.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A closed folder with two rounds recorded and projected, and a backup and an export of its log beside it (in `beside`). */
async function recordedFolder(dataDir: string, beside: string): Promise<{ head: number; parcels: number; backup: string; history: string }> {
  const waybill = await openTestCore({ dataDir, projectors: 'inline', backgroundCheckpoints: false });
  try {
    for (const request of [...SETUP, ...roundCommands('cli', 0), ...roundCommands('cli', 1)]) {
      const result = await waybill.command(request);
      if (!result.ok) throw new Error(result.error.message);
    }
    const list = await waybill.query('parcels.list', { limit: 1 });
    const backup = join(beside, 'backup.db');
    const history = join(beside, 'history.ndjson');
    await backupLog(waybill.core.logReader(), backup);
    await exportEvents(waybill.core.logReader(), history);
    return { head: waybill.head(), parcels: list.ok ? list.data.total : -1, backup, history };
  } finally {
    await waybill.close();
  }
}

const answer = <T>(outcome: ProcessOutcome) => ({ code: outcome.code, json: lastJson<T>(outcome) });
const weather = JSON.stringify({ region: 'north', condition: 'rain' });
const noStackTrace = (outcome: ProcessOutcome) => expect(outcome.stderr + outcome.stdout).not.toMatch(/\n\s+at /);

describe('the CLI with --read-only', () => {
  it('answers query, status, verify, backup and export on a writable folder, and not one byte of the folder changes', async () => {
    const temp = tempDataDir('cli-read-only');
    const dataDir = temp.file('data');
    const { head, parcels } = await recordedFolder(dataDir, temp.path);
    const before = folderListing(dataDir);
    const logBytes = fileHash(logPathIn(dataDir));

    const list = answer<{ total: number; rows: unknown[] }>(await runCli(['query', 'parcels.list', '--params', '{"limit":5}', '--read-only', '--json'], dataDir));
    expect([list.code, list.json.total, list.json.rows.length]).toEqual([0, parcels, 5]);

    const status = answer<{ head: number; projections: { state: string }[] }>(await runCli(['status', '--read-only', '--json'], dataDir));
    expect([status.code, status.json.head, new Set(status.json.projections.map((p) => p.state))]).toEqual([0, head, new Set(['stopped'])]);

    const verify = answer<VerifyReport>(await runCli(['verify', '--read-only', '--json'], dataDir));
    expect([verify.code, verify.json.ok, verify.json.log.head]).toEqual([0, true, head]);

    const copy = temp.file('read-only-backup.db');
    expect(answer(await runCli(['backup', '--to', copy, '--read-only', '--json'], dataDir))).toMatchObject({ code: 0, json: { ok: true } });
    const backedUp = new Database(copy, { readonly: true });
    expect(verifyLog(backedUp)).toMatchObject({ head, gapless: true, guards: true, integrity: 'ok', chain: { ok: true } });
    backedUp.close();

    const exported = temp.file('read-only-history.ndjson');
    expect(answer(await runCli(['export', '--to', exported, '--read-only', '--json'], dataDir))).toMatchObject({ code: 0, json: { ok: true, events: head } });

    expect(fileHash(logPathIn(dataDir))).toBe(logBytes);
    expect(folderListing(dataDir)).toEqual(before);
  });

  it('is refused by seed, command, rebuild, import and restore as a usage error (VALIDATION, exit 1) before the folder is touched', async () => {
    const temp = tempDataDir('cli-read-only-refused');
    const dataDir = temp.file('data');
    const { head, backup, history } = await recordedFolder(dataDir, temp.path);
    const before = folderListing(dataDir);
    const logBytes = fileHash(logPathIn(dataDir));

    const writes = [
      ['seed', '--events', '10', '--read-only', '--json'],
      ['command', 'RecordWeather', '--json', weather, '--read-only'],
      ['rebuild', '--read-only', '--json'],
      ['import', '--from', history, '--read-only', '--json'],
      ['restore', '--from', backup, '--read-only', '--json'],
    ];
    for (const args of writes) {
      const outcome = await runCli(args, dataDir);
      noStackTrace(outcome);
      expect(answer(outcome)).toEqual({
        code: 1,
        json: { ok: false, error: { code: 'VALIDATION', field: 'read-only', message: expect.stringMatching(new RegExp(`^${args[0]} records into the data folder, so it cannot run with --read-only`)) } },
      });
    }
    expect(fileHash(logPathIn(dataDir))).toBe(logBytes);
    expect(folderListing(dataDir)).toEqual(before);

    // The same command without the flag is recorded: the refusal was the flag's.
    expect(answer(await runCli(['command', 'RecordWeather', '--json', weather], dataDir))).toMatchObject({ code: 0, json: { ok: true, position: head + 1 } });
  });

  it('on a folder with no log: NOT_FOUND, and nothing is created', async () => {
    const temp = tempDataDir('cli-read-only-missing');
    const outcome = await runCli(['status', '--read-only', '--json'], temp.file('nothing-here'));
    expect(answer(outcome)).toMatchObject({ code: 1, json: { ok: false, error: { code: 'NOT_FOUND' } } });
    expect(existsSync(temp.file('nothing-here'))).toBe(false);
  });

  it.runIf(canMount)('on a read-only filesystem: a normal open says READ_ONLY and names --read-only (status and serve), and with the flag the folder answers', async () => {
    const fs = mountTmpfs(32 * 1024 * 1024) as SmallFilesystem;
    cleanups.push(() => fs.unmount());
    const dataDir = join(fs.path, 'data');
    const { head } = await recordedFolder(dataDir, fs.path);
    fs.remount('ro');

    const status = await runCli(['status'], dataDir);
    noStackTrace(status);
    expect(status.code).toBe(1);
    expect(status.stderr.trim()).toMatch(/^waybill: READ_ONLY: The data folder .* is read-only .* add --read-only \(it works with query, status, verify, backup, export, serve\)\.$/);

    const serve = await runCli(['serve', '--port', '0'], dataDir);
    noStackTrace(serve);
    expect(serve.code).toBe(1);
    expect(serve.stderr.trim()).toMatch(/^waybill: READ_ONLY: The data folder .* is read-only .*start serve again with --read-only\.$/);

    const readOnly = answer<{ head: number }>(await runCli(['status', '--read-only', '--json'], dataDir));
    expect([readOnly.code, readOnly.json.head]).toEqual([0, head]);
  });
});

describe('browser mode with --read-only', () => {
  it('serves queries, answers commands with READ_ONLY, says it is read-only, and changes no byte of the folder', async () => {
    const temp = tempDataDir('serve-read-only');
    const dataDir = temp.file('data');
    const { head, parcels } = await recordedFolder(dataDir, temp.path);
    const before = folderListing(dataDir);
    const printed: string[] = [];
    const served = await runServe(['--data', dataDir, '--port', '0', '--json', '--read-only'], (line) => printed.push(line));
    cleanups.push(() => served.close());
    expect(JSON.parse(printed.at(-1) ?? '{}')).toEqual({ url: served.host.url, port: served.host.port, dataDir, readOnly: true });

    const call = async (path: string, body: unknown) => {
      const response = await fetch(`http://127.0.0.1:${served.host.port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-waybill-token': served.host.token },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect(await call('/api/query', { name: 'parcels.list', params: { limit: 3 } })).toMatchObject({ status: 200, body: { ok: true, data: { total: parcels }, freshness: { position: head } } });
    expect(await call('/api/command', { type: 'RecordWeather', payload: { region: 'north', condition: 'rain' } })).toEqual({
      status: 200,
      body: { ok: false, error: { code: 'READ_ONLY', message: expect.stringContaining('read-only') } },
    });
    await served.close();
    expect(folderListing(dataDir)).toEqual(before);
  });
});
