import { requiredString } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';

/** Every event of the log, one JSON line each, in log order. */
export const exportLog: Subcommand = {
  name: 'export',
  usage: 'export --to FILE.ndjson',
  summary: 'every event, one JSON line each',
  options: { to: { type: 'string' } },
  readsOnly: true,
  async run({ values, out, withCore }) {
    const to = requiredString(values.to, 'to');
    return withCore(async (core) => out.print(await core.call('export', { to })));
  },
};
