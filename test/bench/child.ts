// One benchmark in its own process (clean heap, its own peak RSS): `node --import tsx child.ts CONFIG.json`.
import { readFileSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { BenchConfig, BenchName, BenchOutput } from './lib/types.ts';

export type BenchResult = Omit<BenchOutput, 'name' | 'peakRssMb' | 'seconds'>;
type BenchModule = { run(config: BenchConfig): Promise<BenchResult> };

const modules: Record<BenchName, () => Promise<BenchModule>> = {
  append: () => import('./append.ts'),
  peer: () => import('./peer.ts'),
  rebuild: () => import('./rebuild.ts'),
  queries: () => import('./queries.ts'),
  lag: () => import('./lag.ts'),
  memory: () => import('./memory.ts'),
  bridge: () => import('./bridge.ts'),
  browser: () => import('./browser.ts'),
  isolation: () => import('./isolation.ts'),
  sync: () => import('./sync.ts'),
};

// Say what a rejection carried (core code may reject with plain objects), then fail the benchmark.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled rejection in the ${process.argv[2] ?? ''} benchmark: ${inspect(reason, { depth: 6 })}\n`);
  process.exit(1);
});

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BenchConfig;
const started = performance.now();
const bench = await modules[config.name]();
const result = await bench.run(config);
const output: BenchOutput = {
  name: config.name,
  ...result,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  seconds: (performance.now() - started) / 1000,
};
writeFileSync(config.outFile, JSON.stringify(output));
// Worker threads of the core may still be winding down; the result is written.
process.exit(0);
