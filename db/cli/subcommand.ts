import type { ParseArgsConfig } from 'node:util';
import type { WaybillTransport } from '../contract/index.ts';
import type { Output } from './output.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | undefined>;

/** What a subcommand runs with: its parsed options and positionals, where output goes, and a way to the core. */
export interface SubcommandContext {
  values: OptionValues;
  positionals: string[];
  dataDir: string;
  out: Output;
  /** Opens the data folder (read-only with --read-only), runs `work` over the in-process transport as this CLI's session, closes. */
  withCore<T>(work: (transport: WaybillTransport) => Promise<T>): Promise<T>;
}

export interface Subcommand {
  name: string;
  /** The usage line after `waybill `, and what it does. */
  usage: string;
  summary: string;
  /** Its own options; --data, --json, --durability and --read-only are everyone's. */
  options: OptionSpec;
  /** Whether it only reads the folder, so it may run with --read-only. */
  readsOnly: boolean;
  /** The exit code. */
  run(context: SubcommandContext): Promise<number>;
}
