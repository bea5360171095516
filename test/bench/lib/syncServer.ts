// Starts the sync server in its own process (syncServerChild.ts) on a database of the benchmark's
// cluster, so its CPU is measured apart from the laptops' and a profile of it covers only its work.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProfileSummary } from './profile.ts';

export type ToServer = { kind: 'profile' } | { kind: 'profileStop' } | { kind: 'close' };
export type FromServer = { kind: 'ready'; url: string } | { kind: 'profile'; summary: ProfileSummary };

export interface SyncServerProcess {
  url: string;
  pid: number;
  /** Starts a CPU profile of the server's main thread; the returned function stops it and gives its summary. */
  profile(): () => Promise<ProfileSummary>;
  close(): Promise<void>;
}

const entry = fileURLToPath(new URL('./syncServerChild.ts', import.meta.url));

function nextMessage<K extends FromServer['kind']>(child: ChildProcess, kind: K): Promise<Extract<FromServer, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromServer) => {
      if (message.kind !== kind) return;
      cleanup();
      resolve(message as Extract<FromServer, { kind: K }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the sync server process exited (code ${code}) before it said ${kind}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function startSyncServerProcess(databaseUrl: string, repoRoot: string): Promise<SyncServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, databaseUrl, repoRoot], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url } = await nextMessage(child, 'ready');
  const send = (message: ToServer) => child.send(message);
  return {
    url,
    pid: child.pid!,
    profile() {
      const summary = nextMessage(child, 'profile');
      send({ kind: 'profile' });
      return async () => {
        send({ kind: 'profileStop' });
        return (await summary).summary;
      };
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) send({ kind: 'close' });
      await exited;
    },
  };
}
