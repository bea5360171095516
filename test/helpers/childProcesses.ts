// Real child processes for the specs: the CLI, command senders released together, and whether a pid still runs.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandRequest, CommandResult } from '../../db/contract/index.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ProcessOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Started {
  /** Resolves once the child printed `line` on stdout, or exited without printing it. */
  printed(line: string): Promise<void>;
  /** Resolves with the first complete stdout line (or what it printed, once it exited without one). */
  firstLine(): Promise<string>;
  /** Sends the signal and resolves once the child has exited. */
  stop(signal?: NodeJS.Signals): Promise<ProcessOutcome>;
  exited: Promise<ProcessOutcome>;
}

function start(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Started {
  const { WAYBILL_DATA: _ignored, ...inherited } = process.env;
  const env = { ...inherited, ...extraEnv };
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  const settle = () => {
    for (const waiter of waiters.splice(0)) {
      if (stdout.split('\n').includes(waiter.line) || child.exitCode !== null) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    settle();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<ProcessOutcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
      settle();
    });
  });
  const firstLine = async (): Promise<string> => {
    while (!stdout.includes('\n') && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()).once('end', () => resolve()));
    }
    return stdout.split('\n')[0]!;
  };
  return {
    printed: (line) =>
      new Promise<void>((resolve) => {
        waiters.push({ line, resolve });
        settle();
      }),
    firstLine,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    exited,
  };
}

/** Starts `waybill <args>` as a user would and leaves it running (serve, say); `env` is added to this process's environment, without WAYBILL_DATA. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Started {
  return start([join(repoRoot, 'db/cli/waybill.mjs'), ...args], env);
}

/** Makes a child's stderr say it is a terminal (as in a shell), so what it draws only there (progress bars) is drawn into the pipe. */
const STDERR_AS_TERMINAL = 'data:text/javascript,Object.defineProperty(process.stderr, "isTTY", { value: true })';

export interface CliOptions {
  /** Run as from a terminal: stderr reports itself a TTY (the CLI passes the flag on when it starts itself again). */
  stderrIsTerminal?: boolean;
}

/** Runs `waybill <args> --data DIR` as a user would, in its own process. */
export function runCli(args: readonly string[], dataDir: string, options: CliOptions = {}): Promise<ProcessOutcome> {
  const terminal = options.stderrIsTerminal ? ['--import', STDERR_AS_TERMINAL] : [];
  return start([...terminal, join(repoRoot, 'db/cli/waybill.mjs'), ...args, '--data', dataDir]).exited;
}

/** The last non-empty stdout line, parsed as JSON. */
export function lastJson<T>(outcome: ProcessOutcome): T {
  const lines = outcome.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/**
 * Sends one command per request, each from its own process on the same data folder. Every process
 * opens the folder first; only when all are ready are they released together, so the commands race.
 */
export async function runCommandsTogether(dataDir: string, requests: readonly CommandRequest[]): Promise<CommandResult[]> {
  const goFile = join(dataDir, `go-${process.pid}-${Date.now()}`);
  const script = join(repoRoot, 'test/helpers/commandProcess.ts');
  const children = requests.map((request) => start(['--import', 'tsx', script, dataDir, goFile, JSON.stringify(request)]));
  await Promise.all(children.map((child) => child.printed('ready')));
  writeFileSync(goFile, '');
  const outcomes = await Promise.all(children.map((child) => child.exited));
  return outcomes.map((outcome) => {
    if (outcome.code !== 0) throw new Error(`A command process failed (exit ${outcome.code}): ${outcome.stderr}`);
    return lastJson<CommandResult>(outcome);
  });
}

/** Whether a process with this pid is still running (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
