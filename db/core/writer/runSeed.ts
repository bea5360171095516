import { commandRequestSchema } from '../../contract/index.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import { planSeed } from '../../seed/planSeed.ts';
import type { CommandHandler, CommandHandlerOptions } from '../../write/commandHandler.ts';
import type { SeedOutcome } from './commandWriter.ts';

/** Commands per transaction: big enough to append fast, small enough that other commands get their turn between. */
const CHUNK = 500;

/**
 * Appends the seeder's demo history through the command path: the seeder says what happens and
 * when; this decides and appends each command, chunk by chunk, as its generated actor on this
 * device, yielding between chunks so other commands interleave.
 */
export async function runSeed(
  input: { events: number; seed: number },
  newHandler: (options: CommandHandlerOptions) => CommandHandler,
  deviceId: string | null,
  appended: (head: number, count: number) => void,
  progress: (appended: number, target: number) => void,
): Promise<SeedOutcome> {
  const target = input.events;
  const plan = planSeed({ events: target, seed: input.seed });
  const clock = { ms: 0 };
  const handler = newHandler({ now: () => new Date(clock.ms).toISOString(), newId: plan.eventIds(() => clock.ms) });
  let done = 0;
  let head = handler.log.head();
  let days = -1; // the first batch sets the fleet up; days count after it
  for (const day of plan.days) {
    if (done >= target) break;
    days++;
    for (let i = 0; i < day.length && done < target; i += CHUNK) {
      const chunk = day.slice(i, i + CHUNK);
      const commands = chunk.map((action) => ({ request: commandRequestSchema.parse(action.request), origin: { actor: action.actor, deviceId } }));
      const results = handler.handleAll(commands, (index) => (clock.ms = chunk[index]!.at + index));
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok) {
        const again = failed.error.rule === 'depot_exists' ? ' (this folder was already seeded with this seed; use another seed)' : '';
        throw new WaybillError(failed.error.code, `Seeding stopped: ${failed.error.message}${again}`);
      }
      const count = results.reduce((n, r) => n + (r.ok ? r.events.length : 0), 0);
      done += count;
      const last = results.at(-1);
      if (last?.ok) appended((head = last.position), count);
      progress(done, target);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { events: done, head, days: Math.max(0, days) };
}
