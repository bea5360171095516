import type { RebuildProgress, WaybillTransport } from '../../contract/index.ts';
import { readModelNames, type ReadModelName } from '../../contract/index.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import type { Output } from '../output.ts';
import type { Subcommand } from '../subcommand.ts';

/** Runs `work` with one progress bar over every rebuild it causes, summed. */
export async function rebuildProgress<T>(core: WaybillTransport, out: Output, label: string, work: () => Promise<T>): Promise<T> {
  const bar = out.progress(label);
  const progress = new Map<string, RebuildProgress>();
  const stop = core.listen('rebuild', (p) => {
    progress.set(p.name, p);
    const all = [...progress.values()];
    bar.update(
      all.reduce((n, x) => n + x.position, 0),
      all.reduce((n, x) => n + x.target, 0),
    );
  });
  try {
    return await work();
  } finally {
    stop();
    bar.done();
  }
}

export const rebuild: Subcommand = {
  name: 'rebuild',
  usage: 'rebuild [--projection NAME]',
  summary: 'rebuild read models from the log (old ones serve meanwhile)',
  options: { projection: { type: 'string' } },
  readsOnly: false,
  async run({ values, out, withCore }) {
    const only = values.projection;
    if (only !== undefined && !readModelNames.includes(only as ReadModelName)) {
      throw new WaybillError('VALIDATION', `There is no read model ${String(only)}; choose one of ${readModelNames.join(', ')}.`, { field: 'projection' });
    }
    return withCore(async (core) => {
      const started = performance.now();
      const answer = await rebuildProgress(core, out, 'rebuild', () => core.call('rebuild', only === undefined ? {} : { projection: only as ReadModelName }));
      if (!answer.ok) return out.fail(answer.error);
      out.answer({ ...answer, seconds: Math.round((performance.now() - started) / 100) / 10 });
      return 0;
    });
  },
};
