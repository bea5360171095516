// The log's writer thread (db/core/writer/writerThread.ts): the one connection that appends to
// events.db, answering commands, seeding, imports and pulled pages in the order they arrive.
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorBody } from '../contract/waybillError.ts';
import { InlineWriter } from '../core/writer/inlineWriter.ts';
import type { FromWriter, ToWriter, WriterThreadData } from '../core/writer/writerThread.ts';
import { openLogWriter } from '../log/openEventLog.ts';

const port = parentPort!;
const data = workerData as WriterThreadData;
const send = (message: FromWriter) => port.postMessage(message);
let writer: InlineWriter;
try {
  const db = openLogWriter(data.logPath, { migrationsFolder: data.migrations, autoCheckpoint: data.autoCheckpoint, ...(data.durability ? { durability: data.durability } : {}) });
  writer = new InlineWriter(db, data.deviceId, () => new Date().toISOString());
  writer.onAppended((head, count) => send({ kind: 'appended', head, count }));
  send({ kind: 'opened' });
} catch (error) {
  send({ kind: 'failed', error: toErrorBody(error) });
  port.close();
  throw error;
}

/** One at a time, in order: a seed's chunks yield between them, so commands sent meanwhile get their turn. */
const answer = (id: number, work: () => Promise<unknown>) =>
  work().then(
    (value) => send({ kind: 'answer', id, answer: value }),
    (error: unknown) => send({ kind: 'refused', id, error: toErrorBody(error) }),
  );

port.on('message', (message: ToWriter) => {
  switch (message.kind) {
    case 'record':
      return void answer(message.id, () => writer.record(message.request, message.actor));
    case 'seed':
      return void answer(message.id, () => writer.seed(message.input, (appended, target) => send({ kind: 'seeding', appended, target })));
    case 'import':
      return void answer(message.id, () => writer.importFile(message.from));
    case 'applyPulled':
      return void answer(message.id, () => writer.applyPulled(message.page));
    case 'close':
      void writer.close().then(() => {
        send({ kind: 'closed' });
        port.close();
      });
  }
});
