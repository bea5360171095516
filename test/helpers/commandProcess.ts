// Run as a child process by the concurrency specs (see runCommandsTogether): opens a data folder,
// prints "ready", waits until the go file exists, sends one command and prints its result as JSON.
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openTestCore } from './testCore.ts';

const [dataDir, goFile, request] = process.argv.slice(2);
if (!dataDir || !goFile || !request) {
  console.error('usage: node --import tsx commandProcess.ts DATA_DIR GO_FILE REQUEST_JSON');
  process.exit(2);
}
const waybill = await openTestCore({ dataDir, projectors: 'inline', backgroundCheckpoints: false });
console.log('ready');
while (!existsSync(goFile)) await sleep(2);
const result = await waybill.command(JSON.parse(request));
await waybill.close();
console.log(JSON.stringify(result));
