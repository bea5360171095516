import { queryNames, type QueryName } from '../../contract/index.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import { integerArgument, jsonArgument } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';

export const query: Subcommand = {
  name: 'query',
  usage: "query NAME [--params '<json>'|@FILE] [--min-position P] [--timeout-ms T]",
  summary: `run a named query (${queryNames.join(', ')})`,
  options: { params: { type: 'string' }, 'min-position': { type: 'string' }, 'timeout-ms': { type: 'string' } },
  readsOnly: true,
  async run({ values, positionals, out, withCore }) {
    const name = positionals[0];
    if (name === undefined) throw new WaybillError('VALIDATION', `Name the query: one of ${queryNames.join(', ')}.`, { field: 'name' });
    const params = typeof values.params === 'string' ? jsonArgument(values.params, 'params') : {};
    const minPosition = integerArgument(values['min-position'], 'min-position');
    const timeoutMs = integerArgument(values['timeout-ms'], 'timeout-ms');
    const options = { ...(minPosition !== undefined ? { minPosition } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    return withCore(async (core) => {
      // The name is checked by the core like any other input: an unknown one answers VALIDATION.
      const answer = await core.call(name as QueryName, { params, options } as never);
      if (!answer.ok) return out.fail(answer.error);
      out.answer(answer);
      return 0;
    });
  },
};
