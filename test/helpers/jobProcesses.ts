// Projector job processes (db/projector/jobProcess.ts) seen from outside: which are alive for a
// data folder, and how much memory they hold. Reads /proc: elsewhere no job is seen.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { startDataFlag } from '../../db/runtime/processLauncher.ts';

/** Live projector job processes working on `dataDir`, by pid. */
export function jobProcessesFor(dataDir: string): number[] {
  const pids: number[] = [];
  if (!existsSync('/proc/self')) return pids;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // it ended meanwhile
    }
    // A job's data names its mode; the core process's (the same flag) does not.
    if (commandLine.includes(startDataFlag) && commandLine.includes('"mode":') && commandLine.includes(dataDir)) pids.push(Number(entry));
  }
  return pids;
}

/** Resolves with the job processes still working on `dataDir` once there are none, or after `timeoutMs`. */
export async function jobProcessesLeft(dataDir: string, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = jobProcessesFor(dataDir);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = jobProcessesFor(dataDir);
  }
  return left;
}

/** Resident memory of a process in MiB, 0 once it has gone. */
export function residentMiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of every job process working on `dataDir`, summed, in MiB. */
export function jobsResidentMiB(dataDir: string): number {
  return jobProcessesFor(dataDir).reduce((sum, pid) => sum + residentMiB(pid), 0);
}
