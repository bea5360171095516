// Scenario 3 (what test/projections does not cover): the whole process is SIGKILLed while it
// rebuilds the three largest read models, repeatedly. Meanwhile every query answers from a complete
// read model (the old one, or the new one once swapped), the next start restarts the interrupted
// rebuild by itself, and the last start finishes it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModelName } from '../../db/contract/index.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';
import { finishRebuilds, runRebuildCrashes, seedProjectedFolder, serving, type SeededFolder } from './helpers/rebuildCrash.ts';

const KILLS = 3;
const REBUILT: readonly ReadModelName[] = ['parcel_summary', 'parcel_timeline', 'event_history'];
const dir = createTempDataDir('rebuild-crash');
let seeded: SeededFolder;

beforeAll(async () => {
  seeded = await seedProjectedFolder(dir.path, 20_000, 9);
}, 120_000);
afterAll(() => dir.remove());

describe('a process killed in the middle of rebuilding read models', () => {
  it(`keeps serving complete read models, restarts the rebuild at the next start, and finishes it (${KILLS} kills)`, async () => {
    const run = await runRebuildCrashes(dir.path, seeded, { kills: KILLS, seed: 7, rebuilt: REBUILT });
    expect(run.problems).toEqual([]);
    // Every kill landed mid-rebuild: the first one requested it, each later start restarted it by itself.
    expect(run.killedMidRebuild).toBe(KILLS);
    // Each kill caught rebuild jobs in processes of their own, and none outlived its parent (checked in `problems`).
    expect(run.killedWithJobProcess).toBe(KILLS);
    // Nothing half-built was ever queried: every answer saw every parcel.
    expect(run.answers.length).toBeGreaterThan(KILLS);
    expect(run.answers.filter((a) => a.parcels !== seeded.parcels || a.rows !== 20 || a.onBoards !== seeded.onBoards)).toEqual([]);

    // The last kill interrupted a rebuild, so the next start had something to finish, and finished it.
    const finished = await finishRebuilds(dir.path);
    expect(finished).toMatchObject({ markersLeft: [], verified: true });
    expect(finished.done.length).toBeGreaterThan(0);
    expect(finished.done.every((name) => REBUILT.includes(name as ReadModelName))).toBe(true);
    // Every requested rebuild completed (in a killed child or at this start): rebuilt files serve now,
    // with exactly the rows projected from the log before any kill.
    const after = serving(dir.path);
    for (const [name, state] of after) {
      expect(state.file === seeded.original.get(name)!.file).toBe(!REBUILT.includes(name));
      expect([name, state.integrity, state.checksum]).toEqual([name, 'ok', seeded.original.get(name)!.checksum]);
    }
    // Partial files of the killed rebuilds are never served; they are left for the idle-orphan sweep.
    const files = readdirSync(join(dir.path, 'read')).filter((f) => f.endsWith('.db'));
    expect(files.filter((f) => [...after.values()].some((s) => s.file.endsWith(f))).length).toBe(after.size);
    console.info(`[reliability] rebuild crash: ${run.kills} kills, all mid-rebuild, ${run.answers.length} queries answered from complete read models, rebuild finished on the next start`);
  }, 240_000);
});
