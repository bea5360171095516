import { commandRequestSchema } from '../../contract/index.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import { planSeed } from '../../seed/planSeed.ts';
import type { OperationHandler } from './handler.ts';

/** Commands per transaction: big enough to append fast, small enough that other commands get their turn between. */
const CHUNK = 500;

/**
 * Appends the seeder's demo history through the command path: the seeder says what happens and
 * when; the core decides and appends each command, chunk by chunk, as its generated actor on this
 * device, telling `seed` listeners how far it has got.
 */
export const seed: OperationHandler<'seed'> = async ({ events: target, seed: seedNumber }, _session, core) => {
  const plan = planSeed({ events: target, seed: seedNumber });
  const clock = { ms: 0 };
  const handler = core.createHandler({ now: () => new Date(clock.ms).toISOString(), newId: plan.eventIds(() => clock.ms) });
  let appended = 0;
  let days = -1; // the first batch sets the fleet up; days count after it
  for (const day of plan.days) {
    if (appended >= target) break;
    days++;
    for (let i = 0; i < day.length && appended < target; i += CHUNK) {
      const chunk = day.slice(i, i + CHUNK);
      const commands = chunk.map((action) => ({ request: commandRequestSchema.parse(action.request), origin: { actor: action.actor, deviceId: core.deviceId } }));
      const results = handler.handleAll(commands, (index) => (clock.ms = chunk[index]!.at + index));
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok) {
        const again = failed.error.rule === 'depot_exists' ? ' (this folder was already seeded with this seed; use another seed)' : '';
        throw new WaybillError(failed.error.code, `Seeding stopped: ${failed.error.message}${again}`);
      }
      const count = results.reduce((n, r) => n + (r.ok ? r.events.length : 0), 0);
      appended += count;
      const last = results.at(-1);
      if (last?.ok) core.afterAppend(last.position, count);
      core.publish('seed', 'seed', () => ({ appended, target }));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { ok: true, events: appended, head: core.head(), days: Math.max(0, days) };
};
