import { afterEach, describe, expect, it, vi } from 'vitest';
import { WaybillError } from '../contract/waybillError.ts';
import { createOutput } from './output.ts';

afterEach(() => vi.restoreAllMocks());

describe("the CLI's output", () => {
  it("prints a failed answer's error as it is (it printed INTERNAL [object Object]), as JSON with --json and as a line on stderr without", () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const body = { code: 'NOT_FOUND' as const, message: 'There is no file /x to import.', field: 'from' };
    expect(createOutput(true).fail(body)).toBe(1);
    expect(createOutput(false).fail(body)).toBe(1);
    expect(createOutput(false).fail(new WaybillError('RULE', 'No.'))).toBe(1);
    expect(out.mock.calls).toEqual([[JSON.stringify({ ok: false, error: body })]]);
    expect(err.mock.calls).toEqual([['waybill: NOT_FOUND: There is no file /x to import.'], ['waybill: RULE: No.']]);
  });

  it('prints an answer as one JSON line with --json, and the human text without', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    createOutput(true).answer({ ok: true, head: 3 }, 'log head: 3');
    createOutput(false).answer({ ok: true, head: 3 }, 'log head: 3');
    expect(out.mock.calls).toEqual([['{"ok":true,"head":3}'], ['log head: 3']]);
  });
});
