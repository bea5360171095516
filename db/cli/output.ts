import { errorBodySchema } from '../contract/errors.ts';
import { toErrorBody } from '../contract/waybillError.ts';
import { createProgressBar } from './progressBar.ts';

/**
 * Where the CLI's answers go. With --json, only machine output: one JSON line on stdout per
 * answer, nothing else anywhere. Without it, text for a person, and progress bars on a terminal.
 */
export interface Output {
  readonly json: boolean;
  /** The answer: as one JSON line with --json, else `human` (or the answer, indented). */
  answer(value: unknown, human?: string): void;
  /** A failure (an answer's error body, or anything thrown): `{"ok":false,"error":…}` with --json, else `waybill: CODE: message` on stderr. */
  fail(error: unknown): number;
  progress(label: string): { update(done: number, total: number): void; done(): void };
}

export function createOutput(json: boolean): Output {
  return {
    json,
    answer(value, human) {
      console.log(json || human === undefined ? JSON.stringify(value, null, json ? 0 : 2) : human);
    },
    fail(error) {
      // An answer's error is already a typed body: passed on as it is, not re-read as something thrown.
      const answered = errorBodySchema.safeParse(error);
      const body = answered.success ? answered.data : toErrorBody(error);
      if (json) console.log(JSON.stringify({ ok: false, error: body }));
      else console.error(`waybill: ${body.code}: ${body.message}`);
      return 1;
    },
    progress(label) {
      if (json) return { update: () => undefined, done: () => undefined };
      const bar = createProgressBar(label);
      return { update: (done, total) => bar.update(done, total), done: () => bar.done() };
    },
  };
}
