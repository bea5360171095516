import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandRequestSchema, type CommandRequest, type ReadModelName } from '../../db/contract/index.ts';
import { openLogReader, openLogWriter } from '../../db/log/openEventLog.ts';
import { projections } from '../../db/projections/index.ts';
import { Projector } from '../../db/readmodel/catchUp.ts';
import { readModelChecksum } from '../../db/readmodel/checksum.ts';
import { openReadModelReader, openReadModelWriter } from '../../db/readmodel/openReadModel.ts';
import { rebuildReadModel } from '../../db/readmodel/rebuildReadModel.ts';
import { CommandHandler } from '../../db/write/commandHandler.ts';
import { intentArbitrary, setupCommands, toCommand, viewOf, type Intent } from './helpers/commandModel.ts';
import { createTempDirs } from './helpers/tempDirs.ts';

type Step =
  | { kind: 'command'; intent: Intent }
  | { kind: 'project'; sizes: number[] }
  | { kind: 'restart' };

const batchSizes = fc.array(fc.integer({ min: 1, max: 30 }), { minLength: projections.length, maxLength: projections.length });
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: intentArbitrary.map((intent) => ({ kind: 'command' as const, intent })) },
  { weight: 3, arbitrary: batchSizes.map((sizes) => ({ kind: 'project' as const, sizes })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

const temp = createTempDirs('property');
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  temp.cleanup();
});

/** The read models as a projector process holds them: one writable file and one Projector each. */
function openProjectors(dir: string, log: Database.Database) {
  return projections.map((projection) => {
    const db = openReadModelWriter(join(dir, `${projection.name}.db`), projection);
    open.push(db);
    return { projection, db, projector: new Projector(projection, db, log, () => '2026-03-01T00:00:00.000Z') };
  });
}

/** One generated history in its own folder, closed and removed afterwards whatever the outcome (shrinking runs many). */
async function runHistory(steps: Step[], finalSizes: number[]): Promise<{ accepted: number; rejected: number }> {
  try {
    return await checkHistory(steps, finalSizes);
  } finally {
    for (const db of open.splice(0)) if (db.open) db.close();
    temp.cleanup();
  }
}

async function checkHistory(steps: Step[], finalSizes: number[]): Promise<{ accepted: number; rejected: number }> {
  const dir = temp.make();
  const logPath = join(dir, 'events.db');
  const writer = openLogWriter(logPath);
  open.push(writer);
  let minute = 0;
  const now = () => new Date(Date.UTC(2026, 2, 2, 6) + minute * 60_000).toISOString();
  const handler = new CommandHandler(writer, { now });
  const log = openLogReader(logPath);
  open.push(log);
  let running = openProjectors(dir, log);
  let accepted = 0;
  let rejected = 0;

  const append = (request: CommandRequest) => {
    minute += 7;
    // Validated as the core's boundary validates it; a request it refuses is a rejection like any other.
    const valid = commandRequestSchema.safeParse(request);
    const result = valid.success ? handler.handle(valid.data, { actor: 'property', deviceId: null }) : { ok: false };
    if (result.ok) accepted++;
    else rejected++;
  };
  for (const command of setupCommands) append(command);
  for (const step of steps) {
    if (step.kind === 'command') append(toCommand(step.intent, viewOf(handler, now())));
    else if (step.kind === 'project') running.forEach((r, i) => r.projector.runBatch(step.sizes[i]!));
    else {
      // A restart: every read-model connection closes between batches and a new projector resumes from the stored checkpoint.
      for (const r of running) r.db.close();
      running = openProjectors(dir, log);
    }
  }

  const head = handler.log.head();
  for (const [i, r] of running.entries()) {
    let turn = i;
    while (r.projector.checkpoint() < head) {
      const before = r.projector.checkpoint();
      r.projector.runBatch(finalSizes[turn++ % finalSizes.length]!);
      expect(r.projector.checkpoint(), `${r.projection.name} made no progress at ${before}`).toBeGreaterThan(before);
    }
  }

  for (const r of running) {
    const rebuiltPath = join(dir, `rebuilt-${r.projection.name}.db`);
    const { checkpoint } = await rebuildReadModel({ projection: r.projection, logPath, targetPath: rebuiltPath, batchSize: 7 });
    expect(checkpoint).toBe(head);
    const rebuilt = openReadModelReader(rebuiltPath);
    open.push(rebuilt);
    const name: ReadModelName = r.projection.name;
    expect({ name, checksum: readModelChecksum(r.db, r.projection) }).toEqual({ name, checksum: readModelChecksum(rebuilt, r.projection) });
    expect(r.projector.checkpoint()).toBe(head);
    const deadLetters = r.db.prepare('SELECT count(*) FROM _dead_letters').pluck().get();
    expect(deadLetters, `${name} parked events`).toBe(0);
  }
  return { accepted, rejected };
}

describe('incremental projection', () => {
  it('equals a full rebuild for random valid command histories, projected in random batch sizes with restarts in between', async () => {
    const totals = { accepted: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { minLength: 10, maxLength: 90 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }),
        async (steps, finalSizes) => {
          const { accepted, rejected } = await runHistory(steps, finalSizes);
          totals.accepted += accepted;
          totals.rejected += rejected;
        },
      ),
      // Fixed seed for reproducible runs; a failure is shrunk (bounded in time) to a small history.
      { numRuns: 15, seed: 20_260_302, interruptAfterTimeLimit: 100_000 },
    );
    // The generator must mostly produce valid commands, or the property proves little.
    expect(totals.accepted).toBeGreaterThan(totals.rejected);
  }, 120_000);
});
