import { parseArgs } from 'node:util';
import type { Session, WaybillTransport } from '../contract/index.ts';
import { defaultDataDir } from '../core/dataPaths.ts';
import { inProcessTransport } from '../core/inProcessTransport.ts';
import { localUser } from '../core/localUser.ts';
import { withReadOnlyHint } from '../core/openFailures.ts';
import { openCore } from '../core/openCore.ts';
import { WaybillError } from '../contract/waybillError.ts';
import { createOutput } from './output.ts';
import type { OptionSpec, OptionValues } from './subcommand.ts';
import { subcommands } from './subcommands/index.ts';

const commonOptions: OptionSpec = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  'read-only': { type: 'boolean' },
  durability: { type: 'string' },
};
const readers = subcommands.filter((s) => s.readsOnly).map((s) => s.name);

function usage(): string {
  const width = Math.max(...subcommands.map((s) => s.usage.length)) + 2;
  return `waybill — the operator's recovery kit for a Waybill data folder

Usage: waybill <subcommand> [options]

${subcommands.map((s) => `  ${s.usage.padEnd(width)} ${s.summary}`).join('\n')}

Every subcommand takes:
  --data DIR            the data folder (default: $WAYBILL_DATA, else ${defaultDataDir()})
  --json                machine output only: one JSON line per answer, {"ok":true,…} or {"ok":false,"error":…}
  --read-only           open the folder without writing a byte to it (${readers.join(', ')})
  --durability full     fsync every commit (default normal)

JSON options (--payload, --params) take the JSON itself or @FILE.`;
}

/**
 * A value starting with one dash (a negative number as a payload, found by fuzzing) after an option
 * that takes a value would read as an option; there are no short options, so it is that value.
 */
function joinDashedValues(args: readonly string[], options: OptionSpec): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const option = /^--([^=]+)$/.exec(args[i]!)?.[1];
    const next = args[i + 1];
    if (option !== undefined && options[option]?.type === 'string' && next !== undefined && /^-(?!-)/.test(next)) {
      joined.push(`--${option}=${next}`);
      i++;
    } else joined.push(args[i]!);
  }
  return joined;
}

/** The CLI acts as the person running it, at the command line (it has the files anyway). */
export const cliSession = (): Session => ({ actor: localUser(), surface: 'cli' });

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const json = args.includes('--json');
  const out = createOutput(json);
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const subcommand = subcommands.find((s) => s.name === name);
  if (!subcommand) return out.fail(new WaybillError('VALIDATION', `Unknown subcommand ${name}. Run waybill --help.`, { field: 'subcommand' }));
  let values: OptionValues;
  let positionals: string[];
  const options = { ...commonOptions, ...subcommand.options };
  try {
    ({ values, positionals } = parseArgs({ args: joinDashedValues(args, options), allowPositionals: true, strict: true, options }) as { values: OptionValues; positionals: string[] });
  } catch (error) {
    return out.fail(new WaybillError('VALIDATION', `${(error as Error).message.replace(/\.$/, '')}. Run waybill --help.`));
  }
  const readOnly = values['read-only'] === true;
  if (readOnly && !subcommand.readsOnly) {
    const message = `${name} records into the data folder, so it cannot run with --read-only. --read-only works with ${readers.join(', ')}.`;
    return out.fail(new WaybillError('VALIDATION', message, { field: 'read-only' }));
  }
  if (values.durability !== undefined && values.durability !== 'normal' && values.durability !== 'full') {
    return out.fail(new WaybillError('VALIDATION', '--durability must be normal or full.', { field: 'durability' }));
  }
  const dataDir = typeof values.data === 'string' ? values.data : defaultDataDir();
  try {
    return await subcommand.run({ values, positionals, dataDir, out, withCore: (work) => withCore(dataDir, values, work) });
  } catch (error) {
    return out.fail(error);
  }
}

async function withCore<T>(dataDir: string, values: OptionValues, work: (transport: WaybillTransport) => Promise<T>): Promise<T> {
  const readOnly = values['read-only'] === true;
  const core = await openCore({ dataDir, projectors: 'inline', durability: values.durability === 'full' ? 'full' : 'normal', readOnly }).catch((error: unknown) => {
    throw readOnly ? error : withReadOnlyHint(error, `To look at it from here, add --read-only (it works with ${readers.join(', ')}).`);
  });
  try {
    return await work(inProcessTransport(core.endpoint, cliSession()));
  } finally {
    await core.close();
  }
}
