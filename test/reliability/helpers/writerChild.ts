// Child process for the writer-crash scenario: opens a data folder with worker-thread projectors
// and appends the workload as fast as it can, in small batches, printing one JSON line per
// acknowledged command, until it is killed. A command given as the third argument (the one that
// was in flight when the previous child died) is sent again first, with the same command id.
// Usage: node --import tsx writerChild.ts DATA_DIR PREFIX [RETRY_REQUEST_JSON]
import type { CommandRequest } from '../../../db/contract/index.ts';
import { openTestCore } from '../../helpers/testCore.ts';
import { workload } from './workload.ts';

export interface AckLine {
  id: string;
  position: number;
  events: number;
  duplicate: boolean;
}

const [dataDir, prefix, retry] = process.argv.slice(2);
if (!dataDir || !prefix) throw new Error('usage: writerChild.ts DATA_DIR PREFIX [RETRY_REQUEST_JSON]');

process.stdout.write(`${JSON.stringify({ opening: true })}\n`);
const waybill = await openTestCore({ dataDir, projectors: 'workers' });
process.stdout.write(`${JSON.stringify({ opened: true, head: waybill.head() })}\n`);
// Checkpoints as the projector threads publish them, so the parent knows they were mid-batch at the kill.
waybill.subscribe('projection', (status) => process.stdout.write(`${JSON.stringify({ projection: status.name, checkpoint: status.checkpoint })}\n`));

const send = async (request: CommandRequest) => {
  const result = await waybill.command(request);
  if (!result.ok) {
    process.stdout.write(`${JSON.stringify({ id: request.commandId, rejected: result.error })}\n`);
    return;
  }
  const ack: AckLine = { id: result.commandId, position: result.position, events: result.events.length, duplicate: result.duplicate };
  process.stdout.write(`${JSON.stringify(ack)}\n`);
};

if (retry) await send(JSON.parse(retry) as CommandRequest);
let inBatch = 0;
for (const request of workload(prefix)) {
  await send(request);
  // Small batches: let the projector threads and the checkpointer run between them.
  if (++inBatch % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
}
