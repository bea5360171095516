// The soak's per-command, per-probe and per-query timings, kept on disk while the load runs: an hour
// holds some 1.3 million of them, and held in arrays they grew the measured process by ~0.5 MiB a
// minute, which the memory criterion would count against the app. Read back once the load is over.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

export type MeasurementKind = 'append' | 'lag' | 'query';

export interface Measurements {
  appendMs: number[];
  /** Seconds into the run of each append, in the order of appendMs. */
  appendAt: number[];
  lagMs: number[];
  lagAt: number[];
  /** The probe (query name) of each lag sample. */
  lagProbe: string[];
  queryMs: number[];
  queryName: string[];
}

const FLUSH_EVERY = 2000;

export class MeasurementLog {
  private pending: string[] = [];

  constructor(private readonly path: string) {
    writeFileSync(path, '');
  }

  /** One timing: its kind, milliseconds, seconds into the run, and a label (a probe or query name). */
  record(kind: MeasurementKind, ms: number, atSeconds: number, label = ''): void {
    this.pending.push(`${kind}\t${ms.toFixed(3)}\t${atSeconds.toFixed(2)}\t${label}\n`);
    if (this.pending.length >= FLUSH_EVERY) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    appendFileSync(this.path, this.pending.join(''));
    this.pending = [];
  }

  read(): Measurements {
    this.flush();
    const measurements: Measurements = { appendMs: [], appendAt: [], lagMs: [], lagAt: [], lagProbe: [], queryMs: [], queryName: [] };
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (line === '') continue;
      const [kind, ms, at, label] = line.split('\t') as [MeasurementKind, string, string, string];
      if (kind === 'append') {
        measurements.appendMs.push(Number(ms));
        measurements.appendAt.push(Number(at));
      } else if (kind === 'lag') {
        measurements.lagMs.push(Number(ms));
        measurements.lagAt.push(Number(at));
        measurements.lagProbe.push(label);
      } else {
        measurements.queryMs.push(Number(ms));
        measurements.queryName.push(label);
      }
    }
    return measurements;
  }
}
