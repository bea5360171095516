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
  /** A failure (a thrown error, or an answer's error body): `{"ok":false,"error":…}` with --json, else `waybill: CODE: message` on stderr. */
  fail(error: unknown): number;
  /** A core's answer as it is: printed whole when ok (exit code 0), as a failure otherwise (1). */
  print(answer: { ok: true } | { ok: false; error: unknown }, human?: string): number;
  progress(label: string): { update(done: number, total: number): void; done(): void };
}

export function createOutput(json: boolean): Output {
  return {
    json,
    answer(value, human) {
      console.log(json || human === undefined ? JSON.stringify(value, null, json ? 0 : 2) : human);
    },
    fail(error) {
      const body = toErrorBody(error);
      if (json) console.log(JSON.stringify({ ok: false, error: body }));
      else console.error(`waybill: ${body.code}: ${body.message}`);
      return 1;
    },
    print(answer, human) {
      if (!answer.ok) return this.fail(answer.error);
      this.answer(answer, human);
      return 0;
    },
    progress(label) {
      if (json) return { update: () => undefined, done: () => undefined };
      const bar = createProgressBar(label);
      return { update: (done, total) => bar.update(done, total), done: () => bar.done() };
    },
  };
}
