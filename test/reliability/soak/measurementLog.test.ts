import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../../helpers/tempDataDir.ts';
import { MeasurementLog } from './measurementLog.ts';

describe('MeasurementLog', () => {
  it('gives back every timing in order, past its flushes, by kind', () => {
    const timings = new MeasurementLog(tempDataDir('timings').file('timings.tsv'));
    for (let i = 0; i < 4500; i++) {
      timings.record('append', i / 8, i / 200);
      if (i % 10 === 0) timings.record('lag', i / 4, i / 200, i % 20 === 0 ? 'events.list' : 'parcel.summary');
    }
    timings.record('query', 12.345, 22.5, 'parcels.list');
    const read = timings.read();
    expect(read.appendMs).toHaveLength(4500);
    expect(read.appendMs[4499]).toBe(4499 / 8);
    expect(read.appendAt[1000]).toBe(5);
    expect(read.lagMs.slice(0, 3)).toEqual([0, 2.5, 5]);
    expect(read.lagProbe.slice(0, 2)).toEqual(['events.list', 'parcel.summary']);
    expect(read).toMatchObject({ queryMs: [12.345], queryName: ['parcels.list'] });
  });
});
