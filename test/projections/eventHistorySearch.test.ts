// event_history's full-text index merges a few pages after every batch instead of letting FTS5
// merge inside whichever insert crosses a threshold (a 62 ms stall in one event's batch at 900,000
// events). Searches must still find every event however small the batches were.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { projectionByName } from '../../db/projections/index.ts';
import { Projector } from '../../db/readmodel/catchUp.ts';
import { openReadModelWriter } from '../../db/readmodel/openReadModel.ts';
import { logPathOf, seedFolder } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';

const temp = createTempDirs('history-search');
const history = projectionByName('event_history');
let dir: string;
let head: number;

beforeAll(async () => {
  dir = temp.make('folder');
  ({ head } = await seedFolder(dir, { events: 3000, seed: 31, project: false }));
});
afterAll(() => temp.cleanup());

describe("event_history's full-text index", () => {
  it('turns automatic merges off, merges as it goes, and finds every event after single-event batches', () => {
    const db = openReadModelWriter(join(temp.make('model'), 'event_history.db'), history);
    const log = openLogReader(logPathOf(dir));
    const config = (key: string) => db.prepare('SELECT v FROM history_search_config WHERE k = ?').pluck().get(key);
    expect([config('automerge'), config('crisismerge')]).toEqual([0, 64]);

    const projector = new Projector(history, db, log);
    while (projector.checkpoint() < head) projector.runBatch(1);
    // Every event is found by its type, and by a word of its stream id.
    const byType = log.prepare('SELECT type, count(*) AS n FROM events GROUP BY type').all() as { type: string; n: number }[];
    for (const { type, n } of byType) {
      expect(db.prepare('SELECT count(*) FROM history_search WHERE history_search MATCH ?').pluck().get(`"${type}"`)).toBe(n);
    }
    // The per-batch merges keep the index compact: 25 records here, 46 with crisis merges alone.
    expect(db.prepare('SELECT count(*) FROM history_search_data').pluck().get()).toBeLessThan(35);
    db.close();
    log.close();
  });
});
