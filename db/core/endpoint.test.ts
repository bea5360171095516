// The core's boundary (endpoint.ts), over a real core on a fresh data folder: input validated here
// and only here, the caller's surface checked, every failure an answer, never a throw.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../contract/index.ts';
import type { Core } from './core.ts';
import { openCore } from './openCore.ts';

const cli: Session = { actor: 'ana', surface: 'cli' };
const browser: Session = { actor: 'ana', surface: 'browser' };
let dir: string;
let core: Core;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'waybill-endpoint-'));
  core = await openCore({ dataDir: dir, projectors: 'inline', backgroundCheckpoints: false });
});
afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (operation: unknown, input: unknown, session: Session = cli) => core.endpoint.call(session, operation, input);

describe("the core's endpoint", () => {
  it.each<[string, unknown, unknown, string | undefined]>([
    ['an unknown command type', 'command', { type: 'DropTable', payload: {} }, 'type'],
    ['a command without a type', 'command', { payload: {} }, 'type'],
    ['a payload field of the wrong type', 'command', { type: 'RegisterDepot', payload: { depotId: 'D1', name: 'North', region: 7 } }, 'payload.region'],
    ['an unknown payload field', 'command', { type: 'RegisterDepot', payload: { depotId: 'D1', name: 'North', region: 'north', admin: true } }, 'payload.admin'],
    ['a caller-chosen actor', 'command', { type: 'RegisterDepot', payload: { depotId: 'D1', name: 'North', region: 'north' }, actor: 'mallory' }, 'actor'],
    ['a caller-chosen device', 'command', { type: 'RegisterDepot', payload: { depotId: 'D1', name: 'North', region: 'north' }, deviceId: 'laptop-9' }, 'deviceId'],
    ['an unknown operation', 'events.raw_sql', {}, 'operation'],
    ['an operation name that is not a string', { toString: () => 'command' }, {}, 'operation'],
    ['a page too big', 'parcels.list', { params: { limit: 1_000_000 } }, 'params.limit'],
    ['a prototype key in params', 'parcels.list', { params: { constructor: { prototype: {} } } }, 'params.constructor'],
    ['a negative position to wait for', 'parcels.list', { params: {}, options: { minPosition: -1 } }, 'options.minPosition'],
    ['an unknown read model to rebuild', 'rebuild', { projection: 'not_a_model' }, 'projection'],
    ['a bad dead letter position', 'deadLetter', { projection: 'parcel_summary', position: 0, action: 'retry' }, 'position'],
    ['too many events to seed', 'seed', { events: 1e9 }, 'events'],
    ['no input at all', 'verify', undefined, undefined],
    ['a string for input', 'seed', 'x'.repeat(10_000), undefined],
  ])('answers VALIDATION for %s, naming the field, and records nothing', async (_what, operation, input, field) => {
    const head = core.head();
    const answer = await call(operation, input);
    expect(answer).toEqual({ ok: false, error: { code: 'VALIDATION', message: expect.any(String), ...(field ? { field } : {}) } });
    expect(core.head()).toBe(head);
    expect(Object.prototype).not.toHaveProperty('admin');
  });

  it('names the choices when a command type is unknown', async () => {
    expect(await call('command', { type: 'DropTable', payload: {} })).toMatchObject({ error: { message: expect.stringMatching(/^type must be one of RegisterDepot, RegisterDriver, /) } });
  });

  it('refuses the file operations (backup, export, import) to any surface but the command line, with FORBIDDEN', async () => {
    for (const [operation, input] of [['backup', { to: join(dir, 'b.db') }], ['export', { to: join(dir, 'e.ndjson') }], ['import', { from: join(dir, 'e.ndjson') }]] as const) {
      expect(await call(operation, input, browser)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: `${operation} is only available from cli, not from the browser.` } });
      expect(await call(operation, input, { actor: 'ana', surface: 'desktop' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it("records a command as the session's actor, on this folder's device", async () => {
    const recorded = await call('command', { type: 'RegisterDepot', payload: { depotId: 'E1', name: 'East', region: 'east' } }, { actor: 'ben', surface: 'desktop' });
    expect(recorded).toMatchObject({ ok: true });
    const position = (recorded as unknown as { position: number }).position;
    const event = await call('event.get', { params: { position } });
    expect(event).toMatchObject({ ok: true, data: { actor: 'ben', deviceId: core.deviceId, metadata: { actor: 'ben', deviceId: core.deviceId } } });
    expect(core.deviceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("fills in the contract's defaults before the core sees a query", async () => {
    const answer = await call('parcels.list', {});
    expect(answer).toMatchObject({ ok: true, data: { rows: [], total: 0, next: null } });
    // limit 100 and sort by last change are the defaults: an empty folder answers an empty first page.
    expect(await call('parcels.list', { params: { sort: 'tracking' } })).toMatchObject({ ok: true });
  });

  it('answers NOT_FOUND naming the option for a file to import that is not there, or a folder to write in that is not (it was INTERNAL "[object Object]")', async () => {
    expect(await call('import', { from: join(dir, 'no-such-file.ndjson') })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: `There is no file ${join(dir, 'no-such-file.ndjson')} to import.`, field: 'from' },
    });
    for (const operation of ['backup', 'export'] as const) {
      expect(await call(operation, { to: join(dir, 'missing', 'out') })).toEqual({
        ok: false,
        error: { code: 'NOT_FOUND', message: `There is no folder ${join(dir, 'missing')} to write ${join(dir, 'missing', 'out')} in.`, field: 'to' },
      });
    }
  });

  it('turns a file system error a handler meets into a typed answer, not INTERNAL', async () => {
    // A folder where a file should be: the export cannot open it for writing.
    expect(await call('export', { to: dir })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: `${dir} is a folder, not a file.` } });
  });
});
