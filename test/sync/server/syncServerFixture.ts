// Test support: a fresh database and a sync server on it for one spec file.
import { afterAll, beforeAll } from 'vitest';
import { startSyncServer, type SyncServer, type SyncServerOptions } from '../../../db/sync/server/index.ts';
import { freshDatabase } from '../../helpers/testPostgres.ts';

export interface Fixture {
  databaseUrl: string;
  server: SyncServer;
  url: string;
  /** Every line the server logged. */
  lines: string[];
}

/** Starts a server on a new database before the file's specs and drops both after them. */
export function syncServerFixture(options: Omit<SyncServerOptions, 'databaseUrl'> = {}): Fixture {
  const fixture = { lines: [] as string[] } as Fixture;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await freshDatabase();
    drop = database.drop;
    fixture.databaseUrl = database.url;
    fixture.server = await startSyncServer({ log: (line) => fixture.lines.push(line), ...options, databaseUrl: database.url });
    fixture.url = fixture.server.url;
  });
  afterAll(async () => {
    await fixture.server?.close();
    await drop?.();
  });
  return fixture;
}
