// Child process for crash tests: opens a data folder in workers mode and prints every projection
// checkpoint as a JSON line until it is killed. Usage: node --import tsx followChild.ts DATA_DIR
import { openTestCore } from '../../helpers/testCore.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: followChild.ts DATA_DIR');
const waybill = await openTestCore({ dataDir, projectors: 'workers' });
waybill.subscribe('projection', (status) => {
  process.stdout.write(`${JSON.stringify({ name: status.name, checkpoint: status.checkpoint, head: status.head })}\n`);
});
process.stdout.write(`${JSON.stringify({ opened: true, head: waybill.head() })}\n`);
