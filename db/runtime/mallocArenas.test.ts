import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../../test/helpers/childProcesses.ts';
import { boundedArenaEnvironment, relaunchedFlag, relaunchedMarker } from './mallocArenas.ts';

describe('boundedArenaEnvironment', () => {
  it('bounds glibc arenas on Linux and marks the relaunch', () => {
    const env = boundedArenaEnvironment('linux', { PATH: '/usr/bin' });
    expect(env).toEqual({ PATH: '/usr/bin', MALLOC_ARENA_MAX: '2', [relaunchedMarker]: '1' });
  });

  it('leaves other platforms, a limit the user set and an already relaunched process alone', () => {
    expect(boundedArenaEnvironment('darwin', {})).toBeNull();
    expect(boundedArenaEnvironment('win32', {})).toBeNull();
    expect(boundedArenaEnvironment('linux', { MALLOC_ARENA_MAX: '8' })).toBeNull();
    expect(boundedArenaEnvironment('linux', { [relaunchedMarker]: '1' })).toBeNull();
    expect(boundedArenaEnvironment('linux', {}, ['/opt/waybill/waybill', relaunchedFlag])).toBeNull();
  });
});

const launcher = fileURLToPath(new URL('../../test/helpers/arenaLauncher.ts', import.meta.url));

function startLauncher(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { MALLOC_ARENA_MAX: _limit, [relaunchedMarker]: _marker, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', launcher, ...args], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    waiters.splice(0).forEach((wake) => wake());
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const firstLine = async () => {
    while (lines.length === 0) await new Promise<void>((wake) => waiters.push(wake));
    return lines[0] as { pid: number; arenas: string | null };
  };
  return { child, lines, exited, firstLine, stderr: () => stderr };
}

describe.runIf(process.platform === 'linux')('continueWithBoundedArenas (a real Node entry point)', () => {
  it('runs the program in a child with two arenas and exits with its code', async () => {
    const run = startLauncher(['exit', '7']);
    const first = await run.firstLine();
    expect(await run.exited).toBe(7);
    expect(first.arenas).toBe('2');
    expect(first.pid).not.toBe(run.child.pid);
    expect(run.stderr()).toBe('');
  });

  it('does not relaunch when the limit is already set', async () => {
    const run = startLauncher(['exit', '0'], { MALLOC_ARENA_MAX: '4' });
    const first = await run.firstLine();
    expect(await run.exited).toBe(0);
    expect(first).toEqual({ pid: run.child.pid, arenas: '4' });
  });

  it('passes SIGTERM on to the program, which shuts down as it would have', async () => {
    const run = startLauncher(['wait']);
    await run.firstLine();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.lines).toContainEqual({ terminated: true });
  });

  it('stops the program when the launcher is killed outright', async () => {
    const run = startLauncher(['wait']);
    const { pid } = await run.firstLine();
    run.child.kill('SIGKILL');
    await run.exited;
    const deadline = Date.now() + 10_000;
    while (processAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(processAlive(pid)).toBe(false);
  });
});

describe.runIf(process.platform === 'linux')('`npm run serve` behind its launcher', () => {
  it('closes gracefully on a terminal Ctrl+C, which reaches the launcher and the server alike', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'waybill-serve-signal-'));
    const { MALLOC_ARENA_MAX: _limit, [relaunchedMarker]: _marker, ...env } = process.env;
    const waybill = fileURLToPath(new URL('../cli/waybill.mjs', import.meta.url));
    // Its own process group, as a terminal gives a foreground job, so one kill reaches the whole group.
    const child = spawn(process.execPath, [waybill, 'serve', '--data', dataDir, '--port', '0'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('Press Ctrl+C to stop.')) resolve();
      }),
    );
    process.kill(-child.pid!, 'SIGINT');
    const code = await exited;
    expect(code, output).toBe(0);
    expect(output).not.toMatch(/error/i);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
