#!/usr/bin/env node
// The `waybill` command: registers tsx so the TypeScript core runs straight from source.
import { register } from 'tsx/esm/api';

register();
const { continueWithBoundedArenas } = await import('../runtime/mallocArenas.ts');
await continueWithBoundedArenas();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
