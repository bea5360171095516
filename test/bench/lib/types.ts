// What the runner hands a benchmark, and what a benchmark hands back.
import type { Figure } from './figures.ts';

export const benchNames = ['append', 'peer', 'rebuild', 'queries', 'lag', 'memory', 'bridge', 'browser', 'isolation', 'sync'] as const;
export type BenchName = (typeof benchNames)[number];

export interface BenchConfig {
  name: BenchName;
  /** Events in the seeded history. */
  events: number;
  quick: boolean;
  /** The seeded data folder: read it or copy it, never change it. */
  baseDir: string;
  /** Scratch space of this benchmark (deleted afterwards). */
  workDir: string;
  /** Where the seeded normalized "CRUD" database lives (built by the queries benchmark's setup). */
  tmpRoot: string;
  repoRoot: string;
  /** Output file for this benchmark's BenchOutput JSON. */
  outFile: string;
}

export interface LineSeries {
  label: string;
  points: [number, number][];
}

export interface LineChart {
  kind: 'lines';
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
  step?: boolean;
  series: LineSeries[];
  /** Horizontal reference lines (targets). */
  marks?: { label: string; x?: number; y?: number }[];
}

export interface BarChart {
  kind: 'bars';
  id: string;
  title: string;
  unit: string;
  logX?: boolean;
  /** One group per category; one bar per series label. */
  groups: { label: string; bars: { label: string; value: number }[] }[];
  marks?: { label: string; x: number }[];
}

export type Chart = LineChart | BarChart;

export interface ReportSection {
  /** Markdown placed under the benchmark's heading (tables, explanations, profiles). */
  markdown: string;
}

export interface BenchOutput {
  name: BenchName;
  figures: Figure[];
  charts: Chart[];
  sections: ReportSection[];
  /** Peak resident set size of the benchmark process, MB. */
  peakRssMb: number;
  seconds: number;
}
