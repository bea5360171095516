import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandRequest, ProjectionStatus } from '../../db/contract/index.ts';
import { readModelNames } from '../../db/contract/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { createTempDirs } from './helpers/tempDirs.ts';
import { waitUntil } from './helpers/waitUntil.ts';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const temp = createTempDirs('ryw');
let dir: string;
let waybill: TestCore;

async function command(request: CommandRequest): Promise<number> {
  const result = await waybill.command(request);
  if (!result.ok) throw new Error(`${request.type} rejected: ${result.error.message}`);
  return result.position;
}

const registerParcel = (n: number): CommandRequest => ({
  type: 'RegisterParcel',
  payload: {
    parcelId: `ryw-${n}`,
    trackingCode: `RYW${String(n).padStart(6, '0')}`,
    recipient: { name: `Reader ${n}`, street: `${n} Write Lane`, city: 'Leeds', postcode: 'LS1 4AP' },
    originDepotId: 'd1',
    destinationDepotId: 'd2',
    weightKg: 1.5,
  },
});

beforeEach(async () => {
  dir = temp.make();
  waybill = await openTestCore({ dataDir: dir, projectors: 'workers' });
  await command({ type: 'RegisterDepot', payload: { depotId: 'd1', name: 'North Hub', region: 'north' } });
  await command({ type: 'RegisterDepot', payload: { depotId: 'd2', name: 'South Yard', region: 'south' } });
});
afterEach(async () => {
  try {
    await waybill?.close(); // undefined when open failed; close is idempotent
  } finally {
    temp.cleanup();
  }
});

describe('read-your-writes', () => {
  it('answers a query given the command position with a read model that reflects the command', async () => {
    for (let n = 1; n <= 50; n++) {
      const position = await command(registerParcel(n));
      const answer = await waybill.query('parcel.summary', { parcelId: `ryw-${n}` }, { minPosition: position, timeoutMs: 20_000 });
      expect(answer).toMatchObject({
        ok: true,
        data: { parcelId: `ryw-${n}`, trackingCode: `RYW${String(n).padStart(6, '0')}`, status: 'registered' },
        freshness: { readModel: 'parcel_summary', position: expect.toSatisfy((p: number) => p >= position), stale: false },
      });
    }
  });

  it('answers stale when minPosition is not reached before the timeout', async () => {
    const head = await command(registerParcel(1));
    const answer = await waybill.query('parcel.summary', { parcelId: 'ryw-1' }, { minPosition: head + 1_000_000, timeoutMs: 100 });
    expect(answer).toMatchObject({ ok: true, freshness: { readModel: 'parcel_summary', stale: true, head } });
  });

  it('publishes every projection lag until it reaches 0 at the head', async () => {
    const latest = new Map<string, ProjectionStatus>();
    const stop = waybill.subscribe('projection', (status) => latest.set(status.name, status));
    let head = 0;
    for (let n = 1; n <= 20; n++) head = await command(registerParcel(n));
    await waitUntil('every projection to report lag 0 at the head', () =>
      readModelNames.every((name) => latest.get(name)?.lag === 0 && latest.get(name)?.checkpoint === head),
    );
    stop();
    for (const name of readModelNames) expect(latest.get(name)).toMatchObject({ name, head, checkpoint: head, lag: 0, error: null });
  });

  it('notices commands another process appends to the same data folder', async () => {
    const before = waybill.head();
    const { payload } = registerParcel(900);
    const { stdout } = await run(process.execPath, ['db/cli/waybill.mjs', 'command', 'RegisterParcel', '--payload', JSON.stringify(payload), '--json', '--data', dir], {
      cwd: repoRoot,
    });
    const result = JSON.parse(stdout) as { ok: boolean; position: number };
    expect(result).toMatchObject({ ok: true, position: before + 1 });

    const seen = await waitUntil(
      'the CLI command to reach this process',
      async () => {
        const answer = await waybill.query('parcel.summary', { parcelId: 'ryw-900' });
        return answer.ok && answer.data !== null && answer;
      },
      { timeoutMs: 30_000, intervalMs: 25 },
    );
    expect(seen.data).toMatchObject({ parcelId: 'ryw-900', trackingCode: 'RYW000900' });
    expect(seen.freshness.position).toBeGreaterThanOrEqual(result.position);
    expect(waybill.head()).toBe(result.position);
  });
});
