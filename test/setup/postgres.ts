// Vitest global setup: one real PostgreSQL for the whole run (the embedded one, or the server
// WAYBILL_TEST_DATABASE_URL names, such as Debian's postgresql package in CI). Each sync test makes
// databases of its own on it (test/helpers/testPostgres.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedCluster } from '../../db/sync/server/embeddedCluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function postgres(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.WAYBILL_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return async () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'waybill-test-pg-'));
  const cluster = await startEmbeddedCluster(dir);
  project.provide('postgresUrl', cluster.url);
  return async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
