import { requiredString } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';

/** Appends another folder's export through the one append path; idempotent by event id. */
export const importLog: Subcommand = {
  name: 'import',
  usage: 'import --from FILE.ndjson',
  summary: 'append events not already here (idempotent by event id)',
  options: { from: { type: 'string' } },
  readsOnly: false,
  async run({ values, out, withCore }) {
    const from = requiredString(values.from, 'from');
    return withCore(async (core) => out.print(await core.call('import', { from })));
  },
};
