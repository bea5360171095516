import type { Subcommand } from '../subcommand.ts';

export const verify: Subcommand = {
  name: 'verify',
  usage: 'verify',
  summary: 'check the log (integrity, gaps, guards, hash chain) and every read model',
  options: {},
  readsOnly: true,
  async run({ out, withCore }) {
    return withCore(async (core) => {
      const answer = await core.call('verify', {});
      if (!answer.ok) return out.fail(answer.error);
      out.answer(answer);
      // The call worked; whether what it checked is sound is the exit code.
      return answer.report.ok ? 0 : 1;
    });
  },
};
