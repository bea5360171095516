// Processes seen from outside, through /proc (Linux): who runs what, whose child it is, and which
// files it holds open. Elsewhere `hasProcfs` is false and the callers skip.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

export const hasProcfs = existsSync('/proc/self/fd');

export interface ProcessInfo {
  pid: number;
  parent: number;
  /** The command line, one entry per argument. */
  argv: string[];
}

function read(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: the command name may hold spaces and parentheses, so fields count from the last ')'.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, parent, argv };
  } catch {
    return null; // it ended meanwhile
  }
}

/** Every running process whose command line has an argument containing each of `parts`. */
export function processesWith(...parts: string[]): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = read(Number(entry));
    if (info && parts.every((part) => info.argv.some((arg) => arg.includes(part)))) found.push(info);
  }
  return found;
}

/** The files a process holds open (what its descriptors link to); empty once it has gone. */
export function openFiles(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
      } catch {
        return []; // closed meanwhile
      }
    });
  } catch {
    return [];
  }
}

/** Whether the process still exists (a zombie not yet reaped counts as gone). */
export function running(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return state.slice(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves true once the process has gone, or false after `timeoutMs` (checked every 20 ms). */
export async function goneWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (running(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return !running(pid);
}
