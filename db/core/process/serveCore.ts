import { pushTopics } from '../../contract/index.ts';
import { toErrorBody } from '../../contract/waybillError.ts';
import { connectToParent, type ParentLink } from '../../runtime/parentLink.ts';
import { nodeProcessLauncher } from '../../runtime/processLauncher.ts';
import type { Core } from '../core.ts';
import { openCore } from '../openCore.ts';
import type { CoreProcessOptions, FromCore, ToCore } from './messages.ts';
import { parentJobLauncher } from './parentJobs.ts';
import { servePort, type ServedPort } from './servePort.ts';

/**
 * The core process: opens the data folder its host named and answers calls until told to close,
 * or until the host is gone. Nothing here runs on a thread that serves a window or a socket.
 */
export function serveCore(): void {
  let core: Core | null = null;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await core?.close();
      link.send({ kind: 'closed' } satisfies FromCore);
      link.close();
    })());
  // The host died or let go: close gracefully (projectors commit their batch), then go.
  const link: ParentLink = connectToParent({ onParentGone: () => void close().finally(() => process.exit(0)) });
  const options = link.data as CoreProcessOptions;
  const send = (message: FromCore) => link.send(message);
  const jobs = options.jobs === 'parent' ? parentJobLauncher(send) : null;
  const early: { message: ToCore; ports: readonly unknown[] }[] = [];
  let handle = (message: ToCore, ports: readonly unknown[]) => void early.push({ message, ports });
  link.onMessage((message, ports) => {
    const m = message as ToCore;
    // Job traffic is the opening's own business (a rebuild at start runs before `opened`).
    if (m.kind === 'jobStarted' || m.kind === 'jobMessage' || m.kind === 'jobExit') jobs?.deliver(m);
    else handle(m, ports);
  });

  openCore({ ...options, jobLauncher: jobs?.launcher ?? nodeProcessLauncher }).then(
    (opened) => {
      core = opened;
      opened.startBackgroundSync();
      const endpoint = opened.endpoint;
      let listening = false;
      handle = (message, ports) => {
        switch (message.kind) {
          case 'call':
            void endpoint.call(message.session, message.operation, message.input).then((answer) => send({ kind: 'answer', id: message.id, answer }));
            return;
          case 'listen':
            if (listening) return;
            listening = true;
            for (const topic of pushTopics) endpoint.listen(topic, (pushed) => send({ kind: 'push', topic, message: pushed }));
            return;
          case 'attach':
            if (ports[0]) servePort(endpoint, ports[0] as ServedPort, message.session);
            return;
          case 'close':
            void close().finally(() => process.exit(0));
            return;
        }
      };
      send({ kind: 'opened', deviceId: opened.deviceId, readOnly: opened.readOnly });
      for (const { message, ports } of early.splice(0)) handle(message, ports);
    },
    (error: unknown) => {
      send({ kind: 'failed', error: toErrorBody(error) });
      link.close();
      setTimeout(() => process.exit(1), 1000).unref();
    },
  );
}
