// Convergence: whatever order events reach each laptop (offline stretches, restarts, several
// devices writing to the same parcels), once every device has pushed and pulled, every laptop's
// read models hold the same rows as a laptop that only ever pulled the server's order.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandRequest } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { projections } from '../../db/projections/index.ts';
import { readModelChecksum } from '../../db/readmodel/checksum.ts';
import { ReadModelFiles } from '../../db/readmodel/readModelFiles.ts';
import { createTempDataDir, type TempDataDir } from '../helpers/tempDataDir.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { joinedLaptop as join } from './laptops.ts';
import { syncServerFixture } from './server/syncServerFixture.ts';

const sync = syncServerFixture();
const folders: TempDataDir[] = [];
afterAll(() => {
  for (const folder of folders) folder.remove();
});

const PARCELS = ['P1', 'P2', 'P3', 'P4'];
const DEPOTS = ['north-hub', 'south'];

const registration = (parcelId: string, trackingCode: string): CommandRequest => ({
  type: 'RegisterParcel',
  payload: {
    parcelId,
    trackingCode,
    recipient: { name: `Recipient ${parcelId}`, street: '1 Mill St', city: 'Leeds', postcode: 'LS1 4AP' },
    originDepotId: 'north-hub',
    destinationDepotId: 'south',
    weightKg: 2,
  },
});

/** A command a field operator might record; some are refused by the rules, which is part of the game. */
const commandArb: fc.Arbitrary<CommandRequest> = fc.oneof(
  fc.record({ parcel: fc.constantFrom(...PARCELS), depot: fc.constantFrom(...DEPOTS), kind: fc.constantFrom('arrived', 'departed') }).map(
    ({ parcel, depot, kind }): CommandRequest => ({ type: 'RecordScan', payload: { parcelId: parcel, depotId: depot, kind } }),
  ),
  fc.record({ parcel: fc.constantFrom(...PARCELS), kind: fc.constantFrom('damaged', 'lost', 'address_problem') }).map(
    ({ parcel, kind }): CommandRequest => ({ type: 'ReportException', payload: { parcelId: parcel, kind } }),
  ),
  fc.record({ region: fc.constantFrom('north', 'south'), condition: fc.constantFrom('clear', 'rain', 'snow') }).map(
    ({ region, condition }): CommandRequest => ({ type: 'RecordWeather', payload: { region, condition } }),
  ),
  // New parcels, sometimes with a tracking code another laptop also hands out.
  fc.record({ n: fc.integer({ min: 10, max: 14 }), code: fc.integer({ min: 1, max: 3 }) }).map(({ n, code }) => registration(`P${n}`, `WB00000${code}X`)),
);

interface Step {
  device: number;
  online: boolean;
  restart: boolean;
  commands: CommandRequest[];
}

const scenarioArb = fc.integer({ min: 3, max: 5 }).chain((devices) =>
  fc.record({
    devices: fc.constant(devices),
    steps: fc.array(
      fc.record({ device: fc.integer({ min: 0, max: devices - 1 }), online: fc.boolean(), restart: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), commands: fc.array(commandArb, { minLength: 1, maxLength: 3 }) }),
      { minLength: 6, maxLength: 14 },
    ),
  }),
);

interface Laptop {
  name: string;
  folder: TempDataDir;
  core: TestCore;
}

async function open(folder: TempDataDir): Promise<TestCore> {
  return openTestCore({ dataDir: folder.path, projectors: 'inline' });
}

async function joinedLaptop(name: string): Promise<Laptop> {
  const folder = createTempDataDir(name);
  folders.push(folder);
  const core = await open(folder);
  return { name, folder, core: await join(sync, name, core) };
}

async function syncNow(laptop: Laptop): Promise<void> {
  const answer = await laptop.core.call('sync.now', {});
  if (!answer.ok) throw new Error(`${laptop.name}: sync failed: ${JSON.stringify(answer.error)}`);
  expect(answer).toMatchObject({ ok: true, status: { problem: null } });
}

/** Every read model's checksum with log positions read as server sequences (the folder closed). */
function canonicalChecksums(folder: TempDataDir): Record<string, string> {
  const log = new Database(logPathIn(folder.path), { readonly: true });
  const seqOf = new Map((log.prepare('SELECT position, server_seq AS seq FROM server_order').all() as { position: number; seq: number }[]).map((r) => [r.position, r.seq]));
  log.close();
  const files = new ReadModelFiles(folder.path);
  const sums: Record<string, string> = {};
  for (const projection of projections) {
    const db = new Database(files.current(projection.name), { readonly: true });
    sums[projection.name] = readModelChecksum(db, projection, (position) => {
      const seq = seqOf.get(position);
      if (seq === undefined) throw new Error(`${folder.path}: position ${position} has no place in the server's order after syncing`);
      return seq;
    });
    db.close();
  }
  return sums;
}

describe('convergence', () => {
  it('after every device pushes and pulls, every laptop\'s read models equal a laptop that only pulled the server\'s order', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ devices, steps }) => {
        run++;
        const laptops: Laptop[] = [];
        for (let d = 0; d < devices; d++) laptops.push(await joinedLaptop(`conv-${run}-${d}`));
        // A shared start: the depots and parcels everyone works on, recorded on the first laptop.
        const first = laptops[0]!;
        for (const depot of DEPOTS) expect(await first.core.command({ type: 'RegisterDepot', payload: { depotId: depot, name: depot, region: depot === 'south' ? 'south' : 'north' } })).toMatchObject({ ok: true });
        for (const [i, parcel] of PARCELS.entries()) expect(await first.core.command(registration(parcel, `WB10000${i}`))).toMatchObject({ ok: true });
        for (const laptop of laptops) await syncNow(laptop);

        for (const step of steps as Step[]) {
          const laptop = laptops[step.device]!;
          if (step.restart) {
            await laptop.core.close();
            laptop.core = await open(laptop.folder);
          }
          for (const command of step.commands) await laptop.core.command(command);
          if (step.online) await syncNow(laptop);
        }

        // Converge: everyone pushes and pulls, then pulls once more for what others pushed after.
        for (const laptop of laptops) await syncNow(laptop);
        for (const laptop of laptops) await syncNow(laptop);
        const mirror = await joinedLaptop(`conv-${run}-mirror`);
        await syncNow(mirror);

        for (const laptop of [...laptops, mirror]) {
          expect(await laptop.core.call('sync.status', {})).toMatchObject({ ok: true, status: { waiting: 0, behind: 0, allOnServer: true } });
          expect(await laptop.core.verify()).toMatchObject({ ok: true, log: { chain: { ok: true }, origins: { ok: true } } });
          await laptop.core.close();
        }
        const expected = canonicalChecksums(mirror.folder);
        for (const laptop of laptops) expect({ laptop: laptop.name, sums: canonicalChecksums(laptop.folder) }).toEqual({ laptop: laptop.name, sums: expected });
      }),
      { numRuns: 6, seed: 20261204, endOnFailure: true },
    );
  }, 300_000);
});
