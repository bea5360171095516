#!/usr/bin/env node
// The `waybill` command: registers tsx so the TypeScript core runs straight from source.
import { register } from 'tsx/esm/api';

register();
const { exitWithLauncher, relaunchWithBoundedArenas } = await import('../runtime/mallocArenas.ts');
const relaunched = relaunchWithBoundedArenas();
if (relaunched) {
  process.exitCode = await relaunched;
} else {
  exitWithLauncher();
  const { main } = await import('./main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
