// The soak's two charts, from its samples: memory (the process and its rebuild job processes) and WAL sizes.
import type { Sample } from './loadSoak.ts';
import { lineChart } from './svg.ts';

/** What memory the soak counts: this process (every thread) and its rebuild job processes together. */
export const totalRss = (s: Sample) => s.rssMiB + s.jobsRssMiB;

export interface ChartRun {
  rate: number;
  minutes: number;
  commands: number;
  samples: readonly Sample[];
  rebuilds: readonly { atSeconds: number }[];
}

const marksOf = (run: ChartRun) => run.rebuilds.map((r) => ({ x: r.atSeconds / 60, label: 'rebuild' }));
const over = (run: ChartRun, value: (s: Sample) => number) => run.samples.map((s) => ({ x: s.seconds / 60, y: value(s) }));

export function memoryChart(run: ChartRun): string {
  return lineChart({
    title: `Waybill soak: RSS at ${run.rate} commands/s (${run.minutes} min, ${run.commands} commands)`,
    xLabel: 'minutes',
    yLabel: 'MiB',
    marks: marksOf(run),
    series: [
      { label: 'RSS (all threads and rebuild job processes)', color: '#2563eb', points: over(run, totalRss) },
      { label: 'RSS of rebuild job processes', color: '#f59e0b', points: over(run, (s) => s.jobsRssMiB) },
      { label: 'JS heap (main thread)', color: '#16a34a', points: over(run, (s) => s.heapMiB) },
    ],
  });
}

export function walChart(run: ChartRun): string {
  return lineChart({
    title: 'Waybill soak: WAL file sizes',
    xLabel: 'minutes',
    yLabel: 'MiB',
    marks: marksOf(run),
    series: [
      { label: 'events.db-wal', color: '#dc2626', points: over(run, (s) => s.logWalMiB) },
      { label: 'largest read-model WAL', color: '#9333ea', points: over(run, (s) => s.readWalMaxMiB) },
    ],
  });
}
