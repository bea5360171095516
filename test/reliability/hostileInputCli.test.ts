// Scenario 9a: hostile input through the CLI, a handful of runs (each is a process start): every
// run exits 0 with a result or 1 with a typed JSON error, prints no stack trace, and a rejected
// command appends nothing.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { seedHistory } from '../../db/seed/seedHistory.ts';
import { lastJson, runCli } from '../helpers/childProcesses.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';
import { commandAnswerProblems, hostileCommand, hostileQuery, queryAnswerProblems } from './helpers/hostile.ts';

const RUNS = 4;
const dir = createTempDataDir('fuzz-cli');
const head = () => {
  const db = new Database(logPathIn(dir.path), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
};
/** Command-line arguments cannot carry NUL bytes, and must stay under the kernel's 128 KiB per-argument limit. */
const asArgument = (value: unknown) => (JSON.stringify(value) ?? 'null').replace(/\\u0000|\u0000/g, '0').slice(0, 30_000);
/** A fresh seed each run (more ground covered over time); a failing run names it: WAYBILL_FUZZ_SEED=… repeats it. */
const SEED = Number(process.env.WAYBILL_FUZZ_SEED ?? Date.now() % 100_000);
const samples = <T>(arbitrary: fc.Arbitrary<T>) => fc.sample(arbitrary, { numRuns: RUNS, seed: SEED });

beforeAll(async () => {
  const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false });
  await seedHistory(waybill, { events: 500, seed: 8 });
  await waybill.close();
}, 60_000);
afterAll(() => dir.remove());

describe(`hostile input through the CLI (seed ${SEED})`, () => {
  it(`command: ${RUNS} hostile commands answer with a typed result, exit 0 or 1, no stack trace, nothing appended on a rejection`, async () => {
    for (const input of samples(hostileCommand)) {
      const request = (input ?? {}) as { type?: unknown; payload?: unknown };
      const type = typeof request.type === 'string' && request.type !== '' && !request.type.startsWith('-') ? request.type : 'RegisterDepot';
      const before = head();
      const outcome = await runCli(['command', type.replace(/\u0000/g, '0').slice(0, 200), '--json', asArgument(request.payload)], dir.path);
      expect([0, 1]).toContain(outcome.code);
      expect(outcome.stderr).not.toMatch(/\n\s+at /);
      const answer = lastJson<unknown>(outcome);
      expect(commandAnswerProblems(answer, before, head())).toEqual([]);
      expect(outcome.code).toBe((answer as { ok: boolean }).ok ? 0 : 1);
    }
  }, 120_000);

  it(`query: ${RUNS} hostile queries answer with data within the cap or a typed VALIDATION error`, async () => {
    for (const { name, params } of samples(hostileQuery)) {
      const queryName = typeof name === 'string' && name !== '' && !name.startsWith('-') ? name.replace(/\u0000/g, '0').slice(0, 200) : 'parcels.list';
      const before = head();
      const outcome = await runCli(['query', queryName, '--params', asArgument(params ?? {}), '--json'], dir.path);
      expect([0, 1]).toContain(outcome.code);
      expect(outcome.stderr).not.toMatch(/\n\s+at /);
      const printed = lastJson<unknown>(outcome);
      // The CLI prints the data of a successful query, and the whole answer of a failed one.
      const answer = outcome.code === 0 ? { ok: true, data: printed } : printed;
      expect(queryAnswerProblems(answer)).toEqual([]);
      expect(head()).toBe(before);
    }
  }, 120_000);
});
