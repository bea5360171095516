#!/usr/bin/env node
// `npx waybill`: runs the built CLI (npm install builds it; so does `npm run build`).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = new URL('../../dist/node/cli.cjs', import.meta.url);
if (!existsSync(built)) {
  console.error('waybill: the CLI is not built yet. Run `npm run build` (npm install does it too), then try again.');
  process.exit(1);
}
createRequire(import.meta.url)(fileURLToPath(built));
