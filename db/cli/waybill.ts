// The `waybill` command, as the build bundles it (dist/node/cli.cjs): bounded memory arenas first
// (db/runtime/mallocArenas.ts), then the subcommand.
import { continueWithBoundedArenas } from '../runtime/mallocArenas.ts';
import { main } from './main.ts';

void continueWithBoundedArenas().then(async () => {
  process.exitCode = await main(process.argv.slice(2));
});
