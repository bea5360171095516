import type { Subcommand } from '../subcommand.ts';
import { backup } from './backup.ts';
import { command } from './command.ts';
import { exportLog } from './export.ts';
import { importLog } from './import.ts';
import { query } from './query.ts';
import { rebuild } from './rebuild.ts';
import { restore } from './restore.ts';
import { seed } from './seed.ts';
import { serve } from './serve.ts';
import { status } from './status.ts';
import { syncServer } from './syncServer.ts';
import { sync } from './sync.ts';
import { verify } from './verify.ts';

/** Every subcommand, in the order --help lists them. */
export const subcommands: readonly Subcommand[] = [seed, command, query, status, rebuild, verify, backup, restore, exportLog, importLog, serve, sync, syncServer];
