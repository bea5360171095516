// A Node entry point that starts itself again with bounded malloc arenas, as the app's do, for
// db/runtime/mallocArenas.test.ts: `exit N` exits with N, `wait` waits for SIGTERM.
import { continueWithBoundedArenas } from '../../db/runtime/mallocArenas.ts';

await continueWithBoundedArenas();

process.on('SIGTERM', () => {
  console.log(JSON.stringify({ terminated: true }));
  process.exit(0);
});
console.log(JSON.stringify({ pid: process.pid, arenas: process.env.MALLOC_ARENA_MAX ?? null }));
if (process.argv[2] === 'exit') process.exit(Number(process.argv[3]));
setInterval(() => undefined, 1000);
