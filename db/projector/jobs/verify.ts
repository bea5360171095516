// A verify job: compares the serving copy of one read model with a scratch rebuild at its checkpoint.
import type { Projection } from '../../readmodel/projection.ts';
import { verifyReadModel } from '../../readmodel/verifyReadModel.ts';
import type { FromWorker, VerifyWorkerData } from '../messages.ts';
import type { ParentLink } from '../../runtime/parentLink.ts';

/** Answers one `verified` message with the verdict (or why there is none). */
export async function runVerifyJob(config: VerifyWorkerData, projection: Projection, parent: ParentLink): Promise<void> {
  const send = (message: FromWorker) => parent.send(message);
  try {
    const verdict = await verifyReadModel({ ...config, projection });
    send({ kind: 'verified', verdict, error: null });
  } catch (error) {
    send({ kind: 'verified', verdict: null, error: error instanceof Error ? error.message : String(error) });
  }
  send({ kind: 'stopped' });
  parent.close();
}
