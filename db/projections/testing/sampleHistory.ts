// A small, realistic history for read-model and query specs: 2 regions, 3 depots, 2 drivers,
// 10 parcels through registration, scans, routes, deliveries, a failure, exceptions and weather.
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandRequestSchema, type CommandPayload, type CommandType, type ReadModelName } from '../../contract/index.ts';
import { openLogReader, openLogWriter } from '../../log/openEventLog.ts';
import { Projector } from '../../readmodel/catchUp.ts';
import { openReadModelReader, openReadModelWriter } from '../../readmodel/openReadModel.ts';
import type { Projection } from '../../readmodel/projection.ts';
import { CommandHandler } from '../../write/commandHandler.ts';
import { projections } from '../index.ts';

export const REGISTERED_AT = '2026-03-02T08:00:00.000Z';

export interface SampleHistory {
  readonly dir: string;
  /** Read-only connections, as queries get them. */
  readonly readers: Record<ReadModelName, Database.Database>;
  /** The projector's own writable connections. */
  readonly writers: Record<ReadModelName, Database.Database>;
  /** Runs a command at a given clock; throws if it is rejected. */
  run<T extends CommandType>(type: T, payload: CommandPayload<T>, now?: string): void;
  /** Brings every read model up to the log's head, in batches of `batchSize` events. */
  catchUp(batchSize?: number): void;
  /** Positions of a stream's events of one type, oldest first. */
  positions(streamId: string, type: string): number[];
  close(): void;
}

const parcel = (n: number, name: string, street: string, city: string, postcode: string, origin: string, destination: string) => ({
  parcelId: `P${String(n).padStart(2, '0')}`,
  trackingCode: `WB1000${String(n).padStart(2, '0')}`,
  recipient: { name, street, city, postcode },
  originDepotId: origin,
  destinationDepotId: destination,
  weightKg: n === 1 ? 2.4 : 1 + n / 10,
  ...(n === 1 ? { description: 'Books, handle with care' } : {}),
});

export function openSampleHistory(batchSize = 1000, only: readonly Projection[] = projections): SampleHistory {
  const dir = mkdtempSync(join(tmpdir(), 'waybill-sample-'));
  const logPath = join(dir, 'events.db');
  const logWriter = openLogWriter(logPath);
  let clock = REGISTERED_AT;
  let ids = 0;
  // Deterministic ids, so two builds of the same history hold the same rows.
  const newId = () => `00000000-0000-7000-8000-${String(++ids).padStart(12, '0')}`;
  const handler = new CommandHandler(logWriter, { now: () => clock, newId });
  const logReader = openLogReader(logPath);
  const writers = {} as Record<ReadModelName, Database.Database>;
  const projectors = only.map((projection) => {
    writers[projection.name] = openReadModelWriter(join(dir, `${projection.name}.db`), projection);
    return new Projector(projection, writers[projection.name], logReader, () => clock);
  });
  const readers = {} as Record<ReadModelName, Database.Database>;
  for (const projection of only) readers[projection.name] = openReadModelReader(join(dir, `${projection.name}.db`));
  const positionsOf = logReader.prepare('SELECT position FROM events WHERE stream_id = ? AND type = ? ORDER BY position').pluck();

  const history: SampleHistory = {
    dir,
    readers,
    writers,
    run(type, payload, now) {
      if (now !== undefined) clock = now;
      const result = handler.handle(commandRequestSchema.parse({ type, payload }), { actor: 'dispatcher', deviceId: null });
      if (!result.ok) throw new Error(`${type} rejected: ${result.error.message}`);
    },
    catchUp(size = batchSize) {
      for (const projector of projectors) projector.catchUp(size);
    },
    positions: (streamId, type) => positionsOf.all(streamId, type) as number[],
    close() {
      for (const db of [...Object.values(readers), ...Object.values(writers), logReader, logWriter]) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  record(history);
  history.catchUp();
  return history;
}

function record({ run }: SampleHistory): void {
  run('RegisterDepot', { depotId: 'north-hub', name: 'North Hub', region: 'north' }, '2026-03-01T07:00:00.000Z');
  run('RegisterDepot', { depotId: 'east', name: 'East Depot', region: 'north' });
  run('RegisterDepot', { depotId: 'south', name: 'South Yard', region: 'south' });
  run('RegisterDriver', { driverId: 'sam', name: 'Sam Carter', homeDepotId: 'east' });
  run('RegisterDriver', { driverId: 'ria', name: 'Ria Patel', homeDepotId: 'south' });
  run('RecordWeather', { region: 'north', condition: 'rain' }, '2026-03-01T07:30:00.000Z');

  const leeds = [
    parcel(1, 'Ada Lovelace', '12 Mill St', 'Leeds', 'LS1 4AP', 'north-hub', 'east'),
    parcel(2, 'Grace Hopper', '3 Canal Wharf', 'Leeds', 'LS11 5PS', 'north-hub', 'east'),
    parcel(3, 'Alan Turing', '78 Kirkstall Rd', 'Leeds', 'LS3 1LH', 'north-hub', 'east'),
    parcel(4, 'Katherine Johnson', '9 Park Sq', 'Leeds', 'LS1 2NE', 'north-hub', 'east'),
    parcel(5, 'Edsger Dijkstra', '41 Otley Rd', 'Leeds', 'LS6 3AA', 'north-hub', 'east'),
    parcel(6, 'Barbara Liskov', '5 Mill Hill', 'Leeds', 'LS1 5DQ', 'north-hub', 'east'),
    parcel(7, 'Donald Knuth', '22 Briggate', 'Leeds', 'LS1 6HD', 'north-hub', 'east'),
  ];
  for (const p of leeds) run('RegisterParcel', p, REGISTERED_AT);
  run('RegisterParcel', parcel(8, 'Margaret Hamilton', '1 Harbourside', 'Bristol', 'BS1 5DB', 'north-hub', 'south'));
  run('RegisterParcel', parcel(9, 'Tim Berners-Lee', '60 Wellington St', 'Leeds', 'LS1 2EE', 'north-hub', 'east'));
  run('RegisterParcel', parcel(10, 'Radia Perlman', '14 Park Row', 'Bristol', 'BS1 5LJ', 'south', 'south'));
  run('RecordWeather', { region: 'north', condition: 'rain' }, '2026-03-02T09:00:00.000Z');

  for (const id of ['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P09']) {
    run('RecordScan', { parcelId: id, depotId: 'north-hub', kind: 'departed', at: '2026-03-02T10:00:00.000Z' });
    run('RecordScan', { parcelId: id, depotId: 'east', kind: 'arrived', at: '2026-03-02T14:00:00.000Z' });
  }
  run('RecordScan', { parcelId: 'P08', depotId: 'north-hub', kind: 'departed', at: '2026-03-02T10:00:00.000Z' });
  run('ReportException', { parcelId: 'P08', kind: 'damaged', note: 'box crushed', at: '2026-03-02T18:00:00.000Z' });
  run('RecordScan', { parcelId: 'P08', depotId: 'south', kind: 'arrived', at: '2026-03-02T20:00:00.000Z' });

  const firstRound = ['P01', 'P02', 'P03', 'P04', 'P05', 'P06'];
  run('PlanRoute', { routeId: 'R-1', driverId: 'sam', depotId: 'east', date: '2026-03-03', parcelIds: firstRound }, '2026-03-02T21:00:00.000Z');
  run('StartRoute', { routeId: 'R-1', at: '2026-03-03T07:00:00.000Z' });
  // 24, 26, 28, 30 and 32 hours after registration: 28 h on average in rain.
  for (const [i, id] of firstRound.slice(0, 5).entries()) {
    const at = `2026-03-03T${String(8 + 2 * i).padStart(2, '0')}:00:00.000Z`;
    run('RecordDeliveryAttempt', { parcelId: id, routeId: 'R-1', outcome: 'delivered', at });
  }
  const failedAt = '2026-03-03T17:00:00.000Z';
  run('RecordDeliveryAttempt', { parcelId: 'P06', routeId: 'R-1', outcome: 'failed', reason: 'recipient not home', at: failedAt });
  const secondRound = { routeId: 'R-2', driverId: 'sam', depotId: 'east', date: '2026-03-04', parcelIds: ['P06', 'P07', 'P09'] };
  run('PlanRoute', secondRound, '2026-03-03T19:00:00.000Z');
  run('ReportException', { parcelId: 'P09', kind: 'lost', note: 'missing from cage', at: '2026-03-03T19:30:00.000Z' });

  run('RecordWeather', { region: 'south', condition: 'snow' }, '2026-03-03T06:00:00.000Z');
  run('PlanRoute', { routeId: 'R-3', driverId: 'ria', depotId: 'south', date: '2026-03-04', parcelIds: ['P08'] });
  run('StartRoute', { routeId: 'R-3', at: '2026-03-04T07:00:00.000Z' });
  run('RecordDeliveryAttempt', { parcelId: 'P08', routeId: 'R-3', outcome: 'delivered', at: '2026-03-04T08:00:00.000Z' });
}
