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
import type { Output } from '../../db/cli/output.ts';
import { callPath, type OperationAnswer, type OperationName } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { verifyLog } from '../../db/log/verifyLog.ts';
import { startServe } from '../../db/serve/startServe.ts';
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
    expect(await waybill.call('backup', { to: backup })).toMatchObject({ ok: true });
    expect(await waybill.call('export', { to: history })).toMatchObject({ ok: true });
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

    const list = answer<OperationAnswer<'parcels.list'>>(await runCli(['query', 'parcels.list', '--params', '{"limit":5}', '--read-only', '--json'], dataDir));
    expect(list).toMatchObject({ code: 0, json: { ok: true, data: { total: parcels, rows: expect.objectContaining({ length: 5 }) }, freshness: { head } } });

    const status = answer<OperationAnswer<'projections.status'>>(await runCli(['status', '--read-only', '--json'], dataDir));
    expect(status).toMatchObject({ code: 0, json: { ok: true, data: { head, writeRefusal: { code: 'READ_ONLY' } } } });
    expect(new Set(status.json.ok ? status.json.data.projections.map((p) => p.state) : [])).toEqual(new Set(['stopped']));

    const verify = answer<OperationAnswer<'verify'>>(await runCli(['verify', '--read-only', '--json'], dataDir));
    expect(verify).toMatchObject({ code: 0, json: { ok: true, report: { ok: true, log: { head } } } });

    const copy = temp.file('read-only-backup.db');
    expect(answer(await runCli(['backup', '--to', copy, '--read-only', '--json'], dataDir))).toMatchObject({ code: 0, json: { ok: true, to: copy, bytes: expect.any(Number) } });
    const backedUp = new Database(copy, { readonly: true });
    expect(verifyLog(backedUp)).toMatchObject({ head, gapless: true, guards: true, integrity: 'ok', chain: { ok: true } });
    backedUp.close();

    const exported = temp.file('read-only-history.ndjson');
    expect(answer(await runCli(['export', '--to', exported, '--read-only', '--json'], dataDir))).toMatchObject({ code: 0, json: { ok: true, to: exported, events: head } });

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
      ['command', 'RecordWeather', '--payload', weather, '--read-only', '--json'],
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
    expect(answer(await runCli(['command', 'RecordWeather', '--payload', weather, '--json'], dataDir))).toMatchObject({ code: 0, json: { ok: true, position: head + 1 } });
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

    const readOnly = answer(await runCli(['status', '--read-only', '--json'], dataDir));
    expect(readOnly).toMatchObject({ code: 0, json: { ok: true, data: { head, writeRefusal: { code: 'READ_ONLY' } } } });
  });
});

describe('browser mode with --read-only', () => {
  it('serves queries, answers commands with READ_ONLY, says it is read-only, and changes no byte of the folder', async () => {
    const temp = tempDataDir('serve-read-only');
    const dataDir = temp.file('data');
    const { head, parcels } = await recordedFolder(dataDir, temp.path);
    const before = folderListing(dataDir);
    const printed: unknown[] = [];
    const out: Pick<Output, 'answer'> = { answer: (value) => void printed.push(value) };
    const served = await startServe({ dataDir, port: 0, readOnly: true, out });
    cleanups.push(() => served.close());
    expect(printed).toEqual([{ ok: true, url: served.host.url, port: served.host.port, dataDir, readOnly: true }]);

    const call = async (operation: OperationName, body: unknown) => {
      const response = await fetch(`http://127.0.0.1:${served.host.port}${callPath(operation)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-waybill-token': served.host.token },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect(await call('parcels.list', { params: { limit: 3 } })).toMatchObject({ status: 200, body: { ok: true, data: { total: parcels }, freshness: { position: head } } });
    expect(await call('command', { type: 'RecordWeather', payload: { region: 'north', condition: 'rain' } })).toEqual({
      status: 200,
      body: { ok: false, error: { code: 'READ_ONLY', message: expect.stringContaining('read-only') } },
    });
    expect(await call('projections.status', {})).toMatchObject({ status: 200, body: { ok: true, data: { head, writeRefusal: { code: 'READ_ONLY' } } } });
    await served.close();
    expect(folderListing(dataDir)).toEqual(before);
  });
});
