// Handlers that hold rows between events (parcel_summary's write-back cache) must let go of them
// whenever the file may have changed without them: another connection catching the same file up
// (the CLI beside the app), or a batch that rolled back.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { projectionByName } from '../../db/projections/index.ts';
import { Projector } from '../../db/readmodel/catchUp.ts';
import { readModelChecksum } from '../../db/readmodel/checksum.ts';
import { openReadModelWriter } from '../../db/readmodel/openReadModel.ts';
import { asBatchedHandler } from '../../db/readmodel/projection.ts';
import { rebuildReadModel } from '../../db/readmodel/rebuildReadModel.ts';
import { logPathOf, seedFolder } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';

const temp = createTempDirs('held-rows');
const summary = projectionByName('parcel_summary');
let dir: string;
let head: number;
let rebuiltChecksum: string;

beforeAll(async () => {
  dir = temp.make('folder');
  ({ head } = await seedFolder(dir, { events: 5000, seed: 23, project: false }));
  const rebuilt = join(temp.make('rebuilt'), 'parcel_summary.db');
  await rebuildReadModel({ projection: summary, logPath: logPathOf(dir), targetPath: rebuilt });
  const db = openReadModelWriter(rebuilt, summary);
  rebuiltChecksum = readModelChecksum(db, summary);
  db.close();
});
afterAll(() => temp.cleanup());

describe('a projection holding rows between batches', () => {
  it('equals a rebuild when two connections take turns catching the same file up', () => {
    const file = join(temp.make('turns'), 'parcel_summary.db');
    const log = openLogReader(logPathOf(dir));
    const first = openReadModelWriter(file, summary);
    const second = openReadModelWriter(file, summary);
    const projectors = [new Projector(summary, first, log), new Projector(summary, second, log)];
    // Uneven turns, so each projector's held rows go stale while the other moves parcels on.
    for (let turn = 0; projectors[0]!.checkpoint() < head; turn++) projectors[turn % 2]!.runBatch(turn % 3 === 0 ? 97 : 389);
    expect(readModelChecksum(first, summary)).toBe(rebuiltChecksum);
    for (const db of [first, second, log]) db.close();
  });

  it('equals a rebuild after batches whose fast path rolled back midway and were replayed event by event', () => {
    const file = join(temp.make('rollback'), 'parcel_summary.db');
    const log = openLogReader(logPathOf(dir));
    const db = openReadModelWriter(file, summary);
    let failNext = false;
    let failures = 0;
    // The same projection, except that some batches fail after all their events were applied, before
    // they commit: the runtime rolls the batch back and replays it one event at a time.
    const flaky = {
      ...summary,
      prepare: (connection: typeof db) => {
        const handler = asBatchedHandler(summary.prepare(connection));
        return {
          ...handler,
          flush: () => {
            handler.flush();
            if (!failNext) return;
            failNext = false;
            failures++;
            throw new Error('the disk went away');
          },
        };
      },
    };
    const projector = new Projector(flaky, db, log);
    for (let batch = 0; projector.checkpoint() < head; batch++) {
      failNext = batch % 4 === 1;
      projector.runBatch(250);
    }
    expect(failures).toBeGreaterThan(3);
    expect(db.prepare('SELECT count(*) FROM _dead_letters').pluck().get()).toBe(0);
    expect(readModelChecksum(db, summary)).toBe(rebuiltChecksum);
    db.close();
    log.close();
  });
});
