// A log verify job: the log's integrity, gaps, guards and hash chain, read from a connection of its own.
import { openLogReader } from '../../log/openEventLog.ts';
import { verifyLog } from '../../log/verifyLog.ts';
import type { ParentLink } from '../../runtime/parentLink.ts';
import type { FromWorker, VerifyLogWorkerData } from '../messages.ts';

/** Answers one `logVerified` message with the log's report (or why there is none). */
export function runVerifyLogJob(config: VerifyLogWorkerData, parent: ParentLink): void {
  const send = (message: FromWorker) => parent.send(message);
  try {
    const log = openLogReader(config.logPath);
    try {
      send({ kind: 'logVerified', log: verifyLog(log), error: null });
    } finally {
      log.close();
    }
  } catch (error) {
    send({ kind: 'logVerified', log: null, error: error instanceof Error ? error.message : String(error) });
  }
  send({ kind: 'stopped' });
  parent.close();
}
