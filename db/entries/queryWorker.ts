// A query thread of the core (db/core/queryPool.ts): answers named queries from its own read-only
// connections, so a long query never holds up the core's other calls, nor another query thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadModelName } from '../contract/index.ts';
import { toErrorBody } from '../contract/waybillError.ts';
import type { ToQueryThread, FromQueryThread } from '../core/queryPool.ts';
import { PreparedQueries } from '../queries/preparedQueries.ts';
import { ReadModelReaders } from '../readmodel/readModelReaders.ts';

const port = parentPort!;
const serving = new Map(Object.entries((workerData as { paths: Record<ReadModelName, string> }).paths)) as Map<ReadModelName, string>;
const readers = new ReadModelReaders({ current: (name) => serving.get(name)! }, { cacheMiB: 8 });
const queries = new PreparedQueries(readers);
const send = (message: FromQueryThread) => port.postMessage(message);

port.on('message', (message: ToQueryThread) => {
  switch (message.kind) {
    case 'run':
      try {
        send({ kind: 'answer', id: message.id, data: queries.run(message.name, message.params as never) });
      } catch (error) {
        send({ kind: 'failed', id: message.id, error: toErrorBody(error) });
      }
      return;
    case 'reopen':
      serving.set(message.name, message.path);
      readers.reopen(message.name);
      return;
    case 'close':
      readers.close();
      port.close();
  }
});
