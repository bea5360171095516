import type { Subcommand } from '../subcommand.ts';

export const status: Subcommand = {
  name: 'status',
  usage: 'status',
  summary: "head position and every read model's checkpoint and lag",
  options: {},
  readsOnly: true,
  async run({ out, withCore }) {
    return withCore(async (core) => {
      const answer = await core.call('projections.status', {});
      if (!answer.ok) return out.fail(answer.error);
      const { head, projections, writeRefusal } = answer.data;
      const lines = projections.map(
        (p) =>
          `  ${p.name.padEnd(16)} v${p.version}  checkpoint ${String(p.checkpoint).padStart(9)}  lag ${String(p.lag).padStart(8)}  ${p.state}` +
          `${p.error ? `  ${p.error}` : ''}${p.deadLetters.length ? `  ${p.deadLetters.length} dead letters` : ''}`,
      );
      out.answer(answer, [`log head: ${head}${writeRefusal ? ` (${writeRefusal.code === 'READ_ONLY' ? 'opened read-only' : writeRefusal.message})` : ''}`, ...lines].join('\n'));
      return 0;
    });
  },
};
