import { integerArgument } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';

/** Browser mode: the console on 127.0.0.1 with a per-run token, until Ctrl+C. */
export const serve: Subcommand = {
  name: 'serve',
  usage: 'serve [--port P]',
  summary: 'browser mode on 127.0.0.1',
  options: { port: { type: 'string' } },
  readsOnly: true,
  async run({ values, dataDir, out }) {
    const port = integerArgument(values.port, 'port') ?? 0;
    const { startServe } = await import('../../serve/startServe.ts');
    await startServe({ dataDir, port, readOnly: values['read-only'] === true, out });
    return 0;
  },
};
