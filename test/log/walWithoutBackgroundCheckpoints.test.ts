// Regression: with background checkpoints off, nobody checkpointed the log (the writer runs with
// SQLite's auto-checkpoint off so appends never wait on one), and its WAL grew without bound: a
// scratch run of 720,000 commands left a 28 GB events.db-wal. The writer now checkpoints itself then.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { roundCommands, SETUP } from '../reliability/helpers/workload.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';

const walMiB = (dataDir: string) => statSync(`${logPathIn(dataDir)}-wal`).size / 1024 / 1024;

describe('the log WAL without background checkpoints', () => {
  it('stays bounded because the writer checkpoints it', async () => {
    const dir = tempDataDir('wal-no-background');
    const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false });
    try {
      for (const request of SETUP) expect(await waybill.command(request)).toMatchObject({ ok: true });
      for (let round = 0; round < 300; round++) for (const request of roundCommands('wal', round)) expect(await waybill.command(request)).toMatchObject({ ok: true });
      // 3,302 commands write some 170 MiB of WAL frames; auto-checkpoints keep reusing the first few MiB.
      expect(walMiB(dir.path)).toBeLessThan(12);
      expect((await waybill.status()).head).toBe(2 + 300 * 24); // every event is there
    } finally {
      await waybill.close();
    }
  });
});
