// Sends a command the way a careful client does: a refusal marked retryable (UNAVAILABLE: the log was
// busy) is retried, and counted, instead of ending the benchmark.
import type { CommandRequest, CommandResult } from '../../../db/contract/index.ts';

export interface RetryStats {
  refusals: number;
  /** Longest time one command spent in refused attempts, ms. */
  worstRefusalMs: number;
  messages: Set<string>;
}

export const newRetryStats = (): RetryStats => ({ refusals: 0, worstRefusalMs: 0, messages: new Set() });

export async function sendCommand(
  waybill: { command(request: CommandRequest): Promise<CommandResult> },
  request: CommandRequest,
  stats: RetryStats,
  attempts = 5,
): Promise<Extract<CommandResult, { ok: true }>> {
  const start = performance.now();
  for (let attempt = 1; ; attempt++) {
    const result = await waybill.command(request);
    if (result.ok) {
      if (attempt > 1) stats.worstRefusalMs = Math.max(stats.worstRefusalMs, performance.now() - start);
      return result;
    }
    if (!result.error.retryable || attempt >= attempts) throw new Error(`${request.type} was refused (${result.error.code}): ${result.error.message}`);
    stats.refusals++;
    stats.messages.add(`${result.error.code}: ${result.error.message}`);
  }
}

export function retryNote(stats: RetryStats): string {
  if (stats.refusals === 0) return '';
  return `; ${stats.refusals} attempt(s) refused as retryable (${[...stats.messages].join(' / ')}), retried at once, worst ${Math.round(stats.worstRefusalMs)} ms lost`;
}
