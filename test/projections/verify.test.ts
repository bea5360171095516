import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readModelNames } from '../../db/contract/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { copyFolder, seedFolder, servingFile, withPlainConnection } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';

const temp = createTempDirs('verify');
let template: string;
let head: number;
let waybill: TestCore | null = null;

beforeAll(async () => {
  template = temp.make('template');
  ({ head } = await seedFolder(template, { events: 4000, seed: 9, project: true }));
});
afterEach(async () => {
  await waybill?.close();
  waybill = null;
});
afterAll(() => temp.cleanup());

async function openCopy(): Promise<{ dir: string; w: TestCore }> {
  const dir = join(temp.make('case'), 'data');
  copyFolder(template, dir);
  const w = await openTestCore({ dataDir: dir, projectors: 'workers' });
  waybill = w;
  return { dir, w };
}

describe('verify', () => {
  it('reports a healthy seeded folder ok for the log and every read model', async () => {
    const { w } = await openCopy();
    const report = await w.verify();
    expect(report.log).toEqual({ head, gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null }, origins: { ok: true, devices: 1, firstBadPosition: null } });
    expect(report.readModels.map((r) => r.name)).toEqual([...readModelNames]);
    for (const verdict of report.readModels) {
      expect(verdict).toMatchObject({ ok: true, checkpoint: head });
      expect(verdict.checksum).toBe(verdict.rebuiltChecksum);
    }
    expect(report.ok).toBe(true);
  });

  it('reports a read model whose row was changed behind its back as not ok, with differing checksums', async () => {
    const { dir, w } = await openCopy();
    const tampered = withPlainConnection(servingFile(dir, 'parcel_summary'), (db) => {
      const row = db.prepare("SELECT parcel_id AS id FROM parcel_summary WHERE status = 'delivered' ORDER BY parcel_id LIMIT 1").get() as { id: string };
      expect(db.prepare("UPDATE parcel_summary SET status = 'lost' WHERE parcel_id = ?").run(row.id).changes).toBe(1);
      return row.id;
    });
    const answer = await w.query('parcel.summary', { parcelId: tampered });
    expect(answer).toMatchObject({ ok: true, data: { parcelId: tampered, status: 'lost' } });

    const report = await w.verify();
    expect(report.ok).toBe(false);
    expect(report.log).toMatchObject({ gapless: true, guards: true, integrity: 'ok', chain: { ok: true } });
    const summary = report.readModels.find((r) => r.name === 'parcel_summary');
    expect(summary).toMatchObject({ ok: false, checkpoint: head });
    expect(summary?.checksum).not.toBe(summary?.rebuiltChecksum);
    expect(report.readModels.filter((r) => !r.ok).map((r) => r.name)).toEqual(['parcel_summary']);
  });
});
