import { WaybillError } from '../../contract/waybillError.ts';
import { integerArgument } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';
import { rebuildProgress } from './rebuild.ts';

export const seed: Subcommand = {
  name: 'seed',
  usage: 'seed --events N [--seed S]',
  summary: 'append a realistic, deterministic demo history',
  options: { events: { type: 'string' }, seed: { type: 'string' } },
  readsOnly: false,
  async run({ values, out, withCore }) {
    const events = integerArgument(values.events, 'events') ?? 10_000;
    const seedNumber = integerArgument(values.seed, 'seed') ?? 1;
    if (seedNumber < 0) throw new WaybillError('VALIDATION', '--seed must be a whole number of 0 or more.', { field: 'seed' });
    return withCore(async (core) => {
      const started = performance.now();
      const bar = out.progress('seed   ');
      const stop = core.listen('seed', (progress) => bar.update(progress.appended, progress.target));
      const seeded = await core.call('seed', { events, seed: seedNumber }).finally(stop);
      bar.done();
      if (!seeded.ok) return out.fail(seeded.error);
      const projecting = performance.now();
      // Every read model up to the new head, so the folder opens projected (far behind, it rebuilds).
      const projected = await rebuildProgress(core, out, 'project', () =>
        core.call('projections.status', { options: { minPosition: seeded.head, timeoutMs: 30_000 } }),
      );
      if (!projected.ok) return out.fail(projected.error);
      const seconds = (from: number, to: number) => Math.round((to - from) / 100) / 10;
      out.answer({ ...seeded, seedSeconds: seconds(started, projecting), projectSeconds: seconds(projecting, performance.now()) });
      return 0;
    });
  },
};
