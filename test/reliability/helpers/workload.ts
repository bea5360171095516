// A deterministic stream of valid commands for crash and load tests. Each round registers a few
// parcels, plans a route with them (one command, several events), starts it (several events) and
// records every delivery (two or three events each), so single- and multi-event commands mix.
// Ids carry a prefix (lower-case letters and digits), so runs that were killed half-way never collide
// with the next run.
import type { CommandRequest } from '../../../db/contract/index.ts';

export const SETUP: readonly CommandRequest[] = [
  { type: 'RegisterDepot', commandId: 'setup-depot', payload: { depotId: 'hub', name: 'Crash Hub', region: 'north' } },
  { type: 'RegisterDriver', commandId: 'setup-driver', payload: { driverId: 'drv', name: 'Kit Driver', homeDepotId: 'hub' } },
];

const PARCELS_PER_ROUND = 4;

/** The commands of round `round` of a run named `prefix` (ids are unique per prefix and round). */
export function roundCommands(prefix: string, round: number): CommandRequest[] {
  const tag = `${prefix}r${round}`;
  const parcelIds = Array.from({ length: PARCELS_PER_ROUND }, (_, i) => `${tag}p${i}`);
  const routeId = `${tag}route`;
  const commands: CommandRequest[] = parcelIds.map((parcelId, i) => ({
    type: 'RegisterParcel',
    commandId: `${tag}-reg${i}`,
    payload: {
      parcelId,
      trackingCode: `WB${tag.toUpperCase()}X${i}`,
      recipient: { name: `Recipient ${i}`, street: `${i + 1} Mill St`, city: 'Leeds', postcode: 'LS1 4AP' },
      originDepotId: 'hub',
      destinationDepotId: 'hub',
      weightKg: 1 + i,
    },
  }));
  commands.push({ type: 'PlanRoute', commandId: `${tag}-plan`, payload: { routeId, driverId: 'drv', depotId: 'hub', date: '2026-03-10', parcelIds } });
  commands.push({ type: 'StartRoute', commandId: `${tag}-start`, payload: { routeId } });
  parcelIds.forEach((parcelId, i) => {
    const failed = i === 1;
    commands.push({
      type: 'RecordDeliveryAttempt',
      commandId: `${tag}-deliver${i}`,
      payload: { parcelId, routeId, outcome: failed ? 'failed' : 'delivered', ...(failed ? { reason: 'nobody home' } : {}) },
    });
  });
  commands.push({ type: 'RecordWeather', commandId: `${tag}-weather`, payload: { region: 'north', condition: round % 2 === 0 ? 'rain' : 'clear' } });
  return commands;
}

/** An endless sequence of rounds: setup first (idempotent by command id), then round 0, 1, 2… */
export function* workload(prefix: string): Generator<CommandRequest> {
  yield* SETUP;
  for (let round = 0; ; round++) yield* roundCommands(prefix, round);
}
