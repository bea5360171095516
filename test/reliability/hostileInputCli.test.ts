// Scenario 9a: hostile input through the CLI, a handful of runs (each is a process start): every
// run exits 0 with a result or 1 with a typed JSON error, prints no stack trace, and a rejected
// command appends nothing.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore } from '../helpers/testCore.ts';
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
  expect(await waybill.call('seed', { events: 500, seed: 8 })).toMatchObject({ ok: true });
  await waybill.close();
}, 60_000);
afterAll(() => dir.remove());

describe(`hostile input through the CLI (seed ${SEED})`, () => {
  it(`command: ${RUNS} hostile commands answer with a typed result, exit 0 or 1, no stack trace, nothing appended on a rejection`, async () => {
    for (const input of samples(hostileCommand)) {
      const request = (input ?? {}) as { type?: unknown; payload?: unknown };
      const type = typeof request.type === 'string' && request.type !== '' && !request.type.startsWith('-') ? request.type : 'RegisterDepot';
      const before = head();
      const outcome = await runCli(['command', type.replace(/\u0000/g, '0').slice(0, 200), '--payload', asArgument(request.payload), '--json'], dir.path);
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
      // With --json the CLI prints the whole answer, a success's data and freshness or a failure's error.
      const answer = lastJson<unknown>(outcome);
      expect(queryAnswerProblems(answer)).toEqual([]);
      expect(outcome.code).toBe((answer as { ok: boolean }).ok ? 0 : 1);
      expect(head()).toBe(before);
    }
  }, 120_000);
});
