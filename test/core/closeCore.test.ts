// A closed core leaves its log in one file: the writer closes last, so SQLite folds the WAL back in.
// Copying or backing up events.db alone after a clean close (as people and tests do) then holds
// every event; with a reader closing last, the WAL stayed behind and a copy lost its newest events.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';

describe('closing the core', () => {
  for (const projectors of ['inline', 'workers'] as const) {
    it(`with ${projectors} projectors leaves no WAL beside the log, and the log file alone holds every event`, async () => {
      const dir = createTempDataDir(`close-${projectors}`);
      const waybill = await openTestCore({ dataDir: dir.path, projectors, backgroundCheckpoints: projectors === 'workers' });
      expect(await waybill.call('seed', { events: 2000, seed: 3 })).toMatchObject({ ok: true });
      const head = waybill.head();
      await waybill.close();

      const log = logPathIn(dir.path);
      expect([existsSync(`${log}-wal`), existsSync(`${log}-shm`)]).toEqual([false, false]);
      const copy = dir.file('copy.db');
      copyFileSync(log, copy);
      const db = new Database(copy, { readonly: true });
      try {
        expect(db.prepare('SELECT count(*) AS events, max(position) AS head FROM events').get()).toEqual({ events: head, head });
      } finally {
        db.close();
      }
    });
  }
});
