import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from './bundleWorkers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('worker threads started from source', () => {
  it.each([
    ['a bundle esbuild makes once per process', {}],
    ['the tsx bootstrap, the fallback where esbuild cannot load', { WAYBILL_WORKER_BOOTSTRAP: 'tsx' }],
  ])('start from %s when no bundle is configured (npx waybill, npm run serve)', (_how, extraEnv: Record<string, string>) => {
    const data = mkdtempSync(join(tmpdir(), 'waybill-bootstrap-'));
    dirs.push(data);
    const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
    delete env.WAYBILL_WORKER_DIR;
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(projectRoot, 'db/cli/waybill.mjs'), ...args, '--data', data, '--json'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(cli('seed', '--events', '300').status).toBe(0);
    const rebuilt = cli('rebuild', '--projection', 'parcel_summary');
    expect(rebuilt.stderr).toBe('');
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ ok: true });
  });
});
