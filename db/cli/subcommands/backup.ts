import { requiredString } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';

/** An online, consistent copy of the log, while the folder stays in use. */
export const backup: Subcommand = {
  name: 'backup',
  usage: 'backup --to FILE',
  summary: 'online, consistent copy of the log',
  options: { to: { type: 'string' } },
  readsOnly: true,
  async run({ values, out, withCore }) {
    const to = requiredString(values.to, 'to');
    return withCore(async (core) => out.print(await core.call('backup', { to })));
  },
};
