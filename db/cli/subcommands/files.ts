import { requiredString } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';

export const backup: Subcommand = {
  name: 'backup',
  usage: 'backup --to FILE',
  summary: 'online, consistent copy of the log',
  options: { to: { type: 'string' } },
  readsOnly: true,
  async run({ values, out, withCore }) {
    const to = requiredString(values.to, 'to');
    return withCore(async (core) => {
      const answer = await core.call('backup', { to });
      if (!answer.ok) return out.fail(answer.error);
      out.answer(answer);
      return 0;
    });
  },
};

export const exportLog: Subcommand = {
  name: 'export',
  usage: 'export --to FILE.ndjson',
  summary: 'every event, one JSON line each',
  options: { to: { type: 'string' } },
  readsOnly: true,
  async run({ values, out, withCore }) {
    const to = requiredString(values.to, 'to');
    return withCore(async (core) => {
      const answer = await core.call('export', { to });
      if (!answer.ok) return out.fail(answer.error);
      out.answer(answer);
      return 0;
    });
  },
};

export const importLog: Subcommand = {
  name: 'import',
  usage: 'import --from FILE.ndjson',
  summary: 'append events not already here (idempotent by event id)',
  options: { from: { type: 'string' } },
  readsOnly: false,
  async run({ values, out, withCore }) {
    const from = requiredString(values.from, 'from');
    return withCore(async (core) => {
      const answer = await core.call('import', { from });
      if (!answer.ok) return out.fail(answer.error);
      out.answer(answer);
      return 0;
    });
  },
};
