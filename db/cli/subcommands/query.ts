import { queryNames, type QueryName } from '../../contract/index.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import { integerArgument, jsonArgument } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';

const isQueryName = (name: string): name is QueryName => (queryNames as readonly string[]).includes(name);

export const query: Subcommand = {
  name: 'query',
  usage: "query NAME [--params '<json>'|@FILE] [--min-position P] [--timeout-ms T]",
  summary: `run a named query (${queryNames.join(', ')})`,
  options: { params: { type: 'string' }, 'min-position': { type: 'string' }, 'timeout-ms': { type: 'string' } },
  readsOnly: true,
  async run({ values, positionals, out, withCore }) {
    const name = positionals[0];
    if (name === undefined) throw new WaybillError('VALIDATION', `Name the query: one of ${queryNames.join(', ')}.`, { field: 'name' });
    // Only queries: other operations have subcommands of their own, with their own options.
    if (!isQueryName(name)) throw new WaybillError('VALIDATION', `There is no query named ${JSON.stringify(name)}: one of ${queryNames.join(', ')}.`, { field: 'name' });
    const params = typeof values.params === 'string' ? jsonArgument(values.params, 'params') : {};
    const minPosition = integerArgument(values['min-position'], 'min-position');
    const timeoutMs = integerArgument(values['timeout-ms'], 'timeout-ms');
    const options = { ...(minPosition !== undefined ? { minPosition } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    return withCore(async (core) => {
      const answer = await core.call(name, { params, options } as never);
      return out.print(answer);
    });
  },
};
