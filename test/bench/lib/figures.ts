// One measured number with its same-run baseline and the target, as written to latest.json.
import { round, roundSig } from './stats.ts';

export interface Target {
  /** Which field the target applies to. */
  on: 'value' | 'p99' | 'ratio';
  op: '<=' | '>=';
  limit: number;
  /** As the issue states it, e.g. "p99 ≤ 1 ms". */
  text: string;
}

export interface Figure {
  name: string;
  unit: string;
  /** Median over repeated runs (latency figures: the pooled p50). */
  value: number;
  p99?: number;
  p999?: number;
  max?: number;
  /** Samples (latency) or repeated runs (throughput, wall time) the figure is made of. */
  runs?: number;
  baseline?: number;
  baselineP99?: number;
  /** What the baseline is, in words. */
  baselineName?: string;
  /** value / baseline: above 1 means more (slower for times, faster for rates) than the baseline. */
  ratio?: number;
  target: string | null;
  met: boolean | null;
  note?: string;
  /** Further comparisons of the same figure (e.g. the raw log next to the CRUD baseline). */
  alt?: { name: string; value: number; p99?: number; ratio: number }[];
  /** Benchmark that produced it (append, peer, rebuild, queries, lag, memory, bridge). */
  bench: string;
}

export interface FigureInput {
  name: string;
  unit: string;
  value: number;
  p99?: number;
  p999?: number;
  max?: number;
  runs?: number;
  baseline?: number;
  baselineP99?: number;
  baselineName?: string;
  target?: Target;
  note?: string;
  alt?: { name: string; value: number; p99?: number }[];
}

export function makeFigure(bench: string, input: FigureInput): Figure {
  const ratio = input.baseline !== undefined && input.baseline !== 0 ? input.value / input.baseline : undefined;
  const figure: Figure = { name: input.name, unit: input.unit, value: round(input.value), target: input.target?.text ?? null, met: null, bench };
  if (input.p99 !== undefined) figure.p99 = round(input.p99);
  if (input.p999 !== undefined) figure.p999 = round(input.p999);
  if (input.max !== undefined) figure.max = round(input.max);
  if (input.runs !== undefined) figure.runs = input.runs;
  if (input.baseline !== undefined) figure.baseline = round(input.baseline);
  if (input.baselineP99 !== undefined) figure.baselineP99 = round(input.baselineP99);
  if (input.baselineName !== undefined) figure.baselineName = input.baselineName;
  if (ratio !== undefined) figure.ratio = roundSig(ratio, 3);
  if (input.note !== undefined) figure.note = input.note;
  if (input.alt) figure.alt = input.alt.map((a) => ({ name: a.name, value: round(a.value), ...(a.p99 !== undefined ? { p99: round(a.p99) } : {}), ratio: roundSig(input.value / a.value, 3) }));
  if (input.target) {
    const t = input.target;
    const observed = t.on === 'value' ? input.value : t.on === 'p99' ? input.p99 : ratio;
    figure.met = observed === undefined || !Number.isFinite(observed) ? false : t.op === '<=' ? observed <= t.limit : observed >= t.limit;
  }
  return figure;
}

export const atMost = (limit: number, text: string, on: Target['on'] = 'value'): Target => ({ on, op: '<=', limit, text });
export const atLeast = (limit: number, text: string, on: Target['on'] = 'value'): Target => ({ on, op: '>=', limit, text });
