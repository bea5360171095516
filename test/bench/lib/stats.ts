// Order statistics for latency samples and repeated-run figures. Quantiles use the
// nearest-rank definition (the value at rank ceil(q·n)), so p99 of 100 samples is the 99th.

export interface Distribution {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export function sorted(values: readonly number[] | Float64Array): Float64Array {
  const copy = Float64Array.from(values);
  copy.sort();
  return copy;
}

/** Nearest-rank quantile of an ascending array; q in [0, 1]. */
export function quantileOfSorted(ascending: Float64Array, q: number): number {
  if (ascending.length === 0) return Number.NaN;
  const rank = Math.min(ascending.length, Math.max(1, Math.ceil(q * ascending.length)));
  return ascending[rank - 1]!;
}

export function quantile(values: readonly number[] | Float64Array, q: number): number {
  return quantileOfSorted(sorted(values), q);
}

export function median(values: readonly number[] | Float64Array): number {
  return quantile(values, 0.5);
}

export function distribution(values: readonly number[] | Float64Array): Distribution {
  const s = sorted(values);
  let sum = 0;
  for (const v of s) sum += v;
  return {
    count: s.length,
    min: s.length ? s[0]! : Number.NaN,
    mean: s.length ? sum / s.length : Number.NaN,
    p50: quantileOfSorted(s, 0.5),
    p90: quantileOfSorted(s, 0.9),
    p99: quantileOfSorted(s, 0.99),
    p999: quantileOfSorted(s, 0.999),
    max: s.length ? s[s.length - 1]! : Number.NaN,
  };
}

/** Points of the empirical CDF, thinned to about `points` entries (always keeping the tail). */
export function cdfPoints(values: readonly number[] | Float64Array, points = 160): [number, number][] {
  const s = sorted(values);
  if (s.length === 0) return [];
  const out: [number, number][] = [];
  const qs = new Set<number>();
  for (let i = 0; i <= points; i++) qs.add(i / points);
  for (const q of [0.9, 0.95, 0.99, 0.995, 0.999, 0.9999, 1]) qs.add(q);
  for (const q of [...qs].sort((a, b) => a - b)) out.push([quantileOfSorted(s, Math.max(q, 1 / s.length)), q * 100]);
  return out;
}

/** Counts per logarithmic bin between the smallest and largest sample: [binCentre, share %]. */
export function logHistogram(values: readonly number[] | Float64Array, bins = 40, range?: { min: number; max: number }): [number, number][] {
  const s = sorted(values);
  if (s.length === 0) return [];
  const lo = Math.log10(Math.max(range?.min ?? s[0]!, 1e-6));
  const hi = Math.log10(Math.max(range?.max ?? s[s.length - 1]!, 1e-6)) + 1e-9;
  const width = (hi - lo) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of s) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor((Math.log10(Math.max(v, 1e-6)) - lo) / width)));
    counts[i]!++;
  }
  return counts.map((c, i) => [10 ** (lo + (i + 0.5) * width), (c / s.length) * 100]);
}

/** Integers from 100 up, else `digits` significant digits: 12345, 45.6, 0.0123. */
export const round = (value: number, digits = 3): number => {
  if (!Number.isFinite(value) || value === 0) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(digits));
};

/** Sleeps without blocking the event loop. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** High-resolution wall clock shared by every thread of the process (ms since the epoch). */
export const wallClock = () => performance.timeOrigin + performance.now();

/** Rounds to `digits` significant digits (ratios span several orders of magnitude). */
export const roundSig = (value: number, digits = 3): number => (value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(digits)));

/** Monotonic milliseconds, one clock for every thread of the process. */
export const monoMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;
