// Why Waybill's processes start themselves again on Linux: glibc's malloc gives each thread that
// allocates its own arena (up to eight per core) and keeps, per arena, what the thread freed. A
// Waybill process runs a projector worker per read model, rebuild workers and SQLite page caches in
// each, so its memory grew with every rebuild and never came back. Measured over 300,000 events:
// open and caught up, 675 MiB with glibc's default and 292 MiB with two arenas; after each of four
// full rebuilds 720–867 MiB against 313–343 MiB (README, "Memory"). The limit has to be in the
// environment before the process starts, hence the relaunch.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export const arenaLimitVariable = 'MALLOC_ARENA_MAX';
export const boundedArenaCount = '2';
/** Set in a relaunched child, so it never relaunches again, whatever happened to its environment. */
export const relaunchedMarker = 'WAYBILL_ARENAS_BOUNDED';
/** The same mark as a command-line flag, for launchers that pass arguments but not an environment (Electron's `app.relaunch`). */
export const relaunchedFlag = '--waybill-arenas-bounded';

/**
 * The environment to start this process again with, or null to go on as it is: other platforms'
 * allocators return freed memory; a limit already set (any value) is the user's choice; a process
 * that was already relaunched never relaunches again.
 */
export function boundedArenaEnvironment(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, argv: readonly string[] = []): NodeJS.ProcessEnv | null {
  if (platform !== 'linux' || env[arenaLimitVariable] !== undefined || env[relaunchedMarker] !== undefined || argv.includes(relaunchedFlag)) return null;
  return { ...env, [arenaLimitVariable]: boundedArenaCount, [relaunchedMarker]: '1' };
}

const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The first thing a Node entry point does: on Linux without the limit, runs this same command again
 * with it and exits with the child's code (the promise then never settles); otherwise resolves, and
 * the caller goes on. The child inherits stdio, gets the signals sent to the launcher (a terminal's
 * Ctrl+C included) and stops when the launcher dies, even by SIGKILL.
 */
export async function continueWithBoundedArenas(): Promise<void> {
  const relaunched = relaunchWithBoundedArenas();
  if (relaunched) process.exit(await relaunched);
  exitWithLauncher();
}

/** This process again with bounded arenas, resolving with its exit code; null when there is nothing to do. */
function relaunchWithBoundedArenas(): Promise<number> | null {
  const env = boundedArenaEnvironment(process.platform, process.env);
  if (!env) return null;
  // Its own process group: a terminal's Ctrl+C reaches only this launcher, which passes it on once.
  // Sent to both, the second copy could land while the child exits and kill it mid-shutdown.
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env, detached: true, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers = forwardedSignals.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise((resolve) => {
    const finish = (code: number) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      resolve(code);
    };
    child.on('error', (error) => {
      console.error(`waybill: could not start with bounded memory arenas: ${error.message}`);
      finish(1);
    });
    child.on('exit', (code, signal) => finish(code ?? (signal ? 128 + constants.signals[signal] : 1)));
  });
}

/** In a relaunched child: when the launcher dies (even by SIGKILL), stop as if told to. */
function exitWithLauncher(): void {
  if (process.env[relaunchedMarker] === undefined || !process.channel) return;
  process.channel.unref();
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
