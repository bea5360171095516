// What the desktop app does when its data folder does not open (electron/openFailurePlan.ts, pure):
// fed the errors a real open gives, without Electron. main.ts opens read-only when told to, and
// shows the notice or the failure in a message box.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { explainOpenFailure } from '../../db/core/openFailures.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { describeError, planAfterOpenFailure } from '../../electron/openFailurePlan.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { breakHeader } from '../reliability/helpers/damage.ts';
import { canMount, mountTmpfs, type SmallFilesystem } from '../reliability/helpers/smallFilesystem.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A closed data folder with one event in its log. */
async function recordedFolder(dataDir: string): Promise<void> {
  const waybill = await openTestCore({ dataDir, projectors: 'inline', backgroundCheckpoints: false });
  await waybill.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'rain' } });
  await waybill.close();
}

const openFailure = (dataDir: string) => openTestCore({ dataDir, projectors: 'inline' }).then(
  (waybill) => waybill.close().then(() => null),
  (error: unknown) => error,
);
const stackLine = /\n\s+at /;

describe('when the data folder does not open, the desktop app', () => {
  it.runIf(canMount)('on a read-only filesystem: opens it read-only, and the notice says so with the typed error and the folder', async () => {
    const fs = mountTmpfs(16 * 1024 * 1024) as SmallFilesystem;
    cleanups.push(() => fs.unmount());
    const dataDir = join(fs.path, 'data');
    await recordedFolder(dataDir);
    fs.remount('ro');

    const plan = planAfterOpenFailure(await openFailure(dataDir), dataDir);
    expect(plan).toEqual({
      action: 'open-read-only',
      notice: {
        title: 'Waybill is read-only',
        message: expect.stringContaining('nothing can be recorded'),
        detail: expect.stringMatching(new RegExp(`^READ_ONLY: The data folder ${dataDir} is read-only[^]*Data folder: ${dataDir}$`)),
      },
    });
    const readOnly = await openTestCore({ dataDir, readOnly: true });
    cleanups.push(() => readOnly.close());
    expect((await readOnly.query('events.list', { limit: 1 })).ok).toBe(true);
  });

  it('opens read-only for a READ_ONLY open failure (SQLite refusing a write, as explained at open)', () => {
    const dir = tempDataDir('plan-read-only');
    new Database(dir.file('probe.db')).close();
    const reader = new Database(dir.file('probe.db'), { readonly: true });
    let refusal: unknown = null;
    try {
      reader.exec('CREATE TABLE t (x)');
    } catch (error) {
      refusal = error;
    } finally {
      reader.close();
    }
    const plan = planAfterOpenFailure(explainOpenFailure(refusal, dir.path), dir.path);
    expect(plan.action).toBe('open-read-only');
    expect(plan.action === 'open-read-only' && plan.notice.detail).toMatch(/^READ_ONLY: /);
  });

  it('quits on a damaged log, showing CORRUPT, its message with the restore command, and the folder, with no stack trace', async () => {
    const dir = tempDataDir('plan-corrupt');
    await recordedFolder(dir.path);
    breakHeader(logPathIn(dir.path));

    const plan = planAfterOpenFailure(await openFailure(dir.path), dir.path);
    expect(plan).toEqual({
      action: 'quit',
      failure: {
        title: 'Waybill could not start',
        message: expect.stringMatching(/^CORRUPT: The event log in .* is damaged .*waybill restore --from BACKUP\.db/),
        detail: `Data folder: ${dir.path}`,
      },
    });
    expect(plan.action === 'quit' && plan.failure.message).not.toMatch(stackLine);
  });

  it('quits on any other error with its message alone, and describes non-errors as text', () => {
    const failure = new Error('Refusing to keep data inside the install folder (/opt/Waybill/data).');
    expect(planAfterOpenFailure(failure, '/opt/Waybill/data')).toEqual({
      action: 'quit',
      failure: { title: 'Waybill could not start', message: failure.message, detail: 'Data folder: /opt/Waybill/data' },
    });
    expect(describeError('disk gone')).toBe('disk gone');
  });
});
