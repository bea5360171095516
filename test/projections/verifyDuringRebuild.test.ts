import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readModelNames } from '../../db/contract/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { copyFolder, seedFolder } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';

const temp = createTempDirs('verify-during-rebuild');
let template: string;
let head: number;
let waybill: TestCore | null = null;

beforeAll(async () => {
  template = temp.make('template');
  ({ head } = await seedFolder(template, { events: 6000, seed: 17, project: true }));
});
afterEach(async () => {
  await waybill?.close();
  waybill = null;
});
afterAll(() => temp.cleanup());

describe('verify while read models are being rebuilt and swapped', () => {
  it('answers for every read model (none fails on a file swapped away under it) and the rebuild still finishes', async () => {
    const dir = join(temp.make('case'), 'data');
    copyFolder(template, dir);
    waybill = await openTestCore({ dataDir: dir, projectors: 'workers', rebuildConcurrency: 1 });
    const rebuilding = waybill.rebuild();
    // Several verifies spread over the rebuild, so at least one overlaps a swap.
    const reports = [];
    for (let round = 0; round < 3; round++) {
      reports.push(await waybill.verify());
    }
    expect(await rebuilding).toEqual({ ok: true });
    reports.push(await waybill.verify());
    for (const report of reports) {
      expect(report.readModels.map((r) => r.name)).toEqual([...readModelNames]);
      for (const verdict of report.readModels) expect(verdict.ok, `${verdict.name}`).toBe(true);
      expect(report.ok).toBe(true);
    }
    expect(reports.at(-1)?.readModels.every((r) => r.checkpoint === head)).toBe(true);
  }, 120_000);
});
