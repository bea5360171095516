// Test support: laptops (data folders with a core opened inline) joined to a spec file's sync server.
import { expect } from 'vitest';
import { enrolDevice } from '../../db/sync/server/index.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import type { Fixture } from './server/syncServerFixture.ts';

/** A fresh data folder for the current test, its core opened inline. */
export function laptop(name: string): Promise<TestCore> {
  return openTestCore({ dataDir: tempDataDir(name).path, projectors: 'inline' });
}

/** Enrols `name` on the fixture's server and joins `core` (a fresh laptop when not given) with the code. */
export async function joinedLaptop(fixture: Fixture, name: string, core?: TestCore): Promise<TestCore> {
  const joining = core ?? (await laptop(name));
  const { code } = await enrolDevice(fixture.databaseUrl, name);
  expect(await joining.call('sync.join', { server: fixture.url, code })).toMatchObject({ ok: true, status: { joined: true, deviceName: name } });
  return joining;
}
