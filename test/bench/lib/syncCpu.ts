// CPU seconds of each side of a sync (this process's laptops, the sync server's process, the
// PostgreSQL cluster), so a phase's wall time can be split into who was working.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Linux clock ticks per second (USER_HZ), what /proc/<pid>/stat counts in. */
const TICKS = 100;

/** The fields of /proc/<pid>/stat after the command name, so index 0 is field 3 (state); null once the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const utime = 11;
const stime = 12;
const cutime = 13;
const cstime = 14;
const ppid = 1;

/** User + system CPU of a live process, every thread of it. */
export function processCpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[utime]) + Number(f[stime])) / TICKS : 0;
}

/** The postmaster, its live children (backends, writers) and the children it has already reaped. */
export function clusterCpuSeconds(postmasterPid: number): number {
  const own = statFields(postmasterPid);
  if (!own) return 0;
  let ticks = Number(own[utime]) + Number(own[stime]) + Number(own[cutime]) + Number(own[cstime]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[ppid]) === postmasterPid) ticks += Number(f[utime]) + Number(f[stime]);
  }
  return ticks / TICKS;
}

export function postmasterPid(clusterDir: string): number {
  return Number(readFileSync(join(clusterDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

export interface CpuSplit {
  laptops: number;
  server: number;
  postgres: number;
}

/** Reads the three sides' CPU seconds so far; `since` gives a phase's share. */
export function cpuMeter(serverPid: number, clusterDir: string): { read(): CpuSplit; since(start: CpuSplit): CpuSplit } {
  const pgPid = postmasterPid(clusterDir);
  const read = (): CpuSplit => {
    const own = process.cpuUsage();
    return { laptops: (own.user + own.system) / 1e6, server: processCpuSeconds(serverPid), postgres: clusterCpuSeconds(pgPid) };
  };
  return {
    read,
    since(start) {
      const now = read();
      return { laptops: now.laptops - start.laptops, server: now.server - start.server, postgres: now.postgres - start.postgres };
    },
  };
}

/** Samples the meter every `everyMs`, so a phase's CPU can be read afterwards between any two moments (to the nearest sample). */
export function cpuSampler(meter: { read(): CpuSplit }, everyMs = 500): { between(from: number, to: number): CpuSplit; stop(): void } {
  const samples: { at: number; split: CpuSplit }[] = [];
  const sample = () => samples.push({ at: performance.now(), split: meter.read() });
  sample();
  const timer = setInterval(sample, everyMs);
  const nearest = (at: number) => {
    sample();
    let best = samples[0]!;
    for (const s of samples) if (Math.abs(s.at - at) < Math.abs(best.at - at)) best = s;
    return best.split;
  };
  return {
    between(from, to) {
      const a = nearest(from);
      const b = nearest(to);
      return { laptops: b.laptops - a.laptops, server: b.server - a.server, postgres: b.postgres - a.postgres };
    },
    stop: () => clearInterval(timer),
  };
}
