import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { logPathIn } from '../../core/dataPaths.ts';
import { restoreLog } from '../../log/backupLog.ts';
import { requiredString } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';

/** Not an operation of the core: it replaces the log, so it runs on a folder nothing has open. */
export const restore: Subcommand = {
  name: 'restore',
  usage: 'restore --from FILE',
  summary: 'replace the log with a verified backup (the old log is kept)',
  options: { from: { type: 'string' } },
  readsOnly: false,
  async run({ values, dataDir, out }) {
    const from = requiredString(values.from, 'from');
    const result = restoreLog(logPathIn(dataDir), from);
    rmSync(join(dataDir, 'read'), { recursive: true, force: true });
    out.answer({ ok: true, ...result, note: 'Read models are rebuilt from the restored log on the next start.' });
    return 0;
  },
};
