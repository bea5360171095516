// The sync server in a process of its own, as it runs beside the laptops in production (on its own
// machine): `node --import tsx syncServerChild.ts DATABASE_URL REPO_ROOT`, driven over IPC by
// syncServer.ts. It says where it listens, profiles its main thread when asked, and closes when told.
import { startSyncServer } from '../../../db/sync/server/index.ts';
import { profile } from './profile.ts';
import type { FromServer, ToServer } from './syncServer.ts';

const [databaseUrl, repoRoot] = process.argv.slice(2) as [string, string];
const send = (message: FromServer) => process.send!(message);
const server = await startSyncServer({ databaseUrl, port: 0, log: (line) => process.stderr.write(`  [sync server] ${line}\n`) });
let stopProfile: (() => void) | null = null;
const close = () => void server.close().finally(() => process.exit(0));

process.on('message', (message: ToServer) => {
  switch (message.kind) {
    case 'profile': {
      const stopped = new Promise<void>((resolve) => (stopProfile = resolve));
      void profile(repoRoot, () => stopped).then(({ summary }) => send({ kind: 'profile', summary }));
      return;
    }
    case 'profileStop':
      stopProfile?.();
      return;
    case 'close':
      close();
  }
});
// The benchmark died: do not outlive it.
process.on('disconnect', close);
send({ kind: 'ready', url: server.url });
