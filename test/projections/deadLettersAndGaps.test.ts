import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandRequestSchema, type CommandRequest } from '../../db/contract/index.ts';
import { currentSchemaVersion } from '../../db/domain/events.ts';
import { openLogReader, openLogWriter } from '../../db/log/openEventLog.ts';
import { HANDLER_ATTEMPTS, Projector, ProjectionGapError, ProjectionHaltedError } from '../../db/readmodel/catchUp.ts';
import { openReadModelWriter } from '../../db/readmodel/openReadModel.ts';
import { CommandHandler } from '../../db/write/commandHandler.ts';
import { createProbe, type Probe } from './helpers/probeProjection.ts';
import { createTempDirs } from './helpers/tempDirs.ts';

const temp = createTempDirs('deadletters');
const open: Database.Database[] = [];
let dir: string;
let head: number;
let poison: number;

/** A real log of 9 events through the command handler; `poison` is the second parcel's registration. */
beforeEach(() => {
  dir = temp.make();
  const writer = openLogWriter(join(dir, 'events.db'));
  open.push(writer);
  const handler = new CommandHandler(writer, { now: () => '2026-03-02T08:00:00.000Z' });
  const run = (request: CommandRequest) => {
    const result = handler.handle(commandRequestSchema.parse(request), { actor: 'spec', deviceId: null });
    if (!result.ok) throw new Error(result.error.message);
    return result.position;
  };
  run({ type: 'RegisterDepot', payload: { depotId: 'd1', name: 'North', region: 'north' } });
  run({ type: 'RegisterDepot', payload: { depotId: 'd2', name: 'South', region: 'south' } });
  const recipient = { name: 'Ada', street: '1 Mill St', city: 'Leeds', postcode: 'LS1 4AP' };
  for (const n of [1, 2, 3]) {
    const position = run({
      type: 'RegisterParcel',
      payload: { parcelId: `p${n}`, trackingCode: `WB00000${n}`, recipient, originDepotId: 'd1', destinationDepotId: 'd2', weightKg: 1 },
    });
    if (n === 2) poison = position;
  }
  run({ type: 'RecordScan', payload: { parcelId: 'p1', depotId: 'd1', kind: 'departed' } });
  run({ type: 'RecordScan', payload: { parcelId: 'p2', depotId: 'd1', kind: 'departed' } });
  run({ type: 'RecordWeather', payload: { region: 'north', condition: 'rain' } });
  head = run({ type: 'RecordWeather', payload: { region: 'south', condition: 'snow' } });
});

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  temp.cleanup();
});

function projectorFor(probe: Probe, { logPath = join(dir, 'events.db'), file = 'probe.db' } = {}) {
  const log = openLogReader(logPath);
  const db = openReadModelWriter(join(dir, file), probe.projection);
  open.push(log, db);
  const seen = () => db.prepare('SELECT position FROM probe_seen ORDER BY position').pluck().all() as number[];
  const deadLetters = () => db.prepare('SELECT position, event_id AS eventId, type, error, attempts FROM _dead_letters').all();
  return { projector: new Projector(probe.projection, db, log), seen, deadLetters };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('a handler that throws, with policy park', () => {
  it('parks the event with its error and attempts, applies the others and moves the checkpoint past it', () => {
    const probe = createProbe('park');
    probe.poisoned.add(poison);
    const { projector, seen, deadLetters } = projectorFor(probe);

    expect(projector.runBatch(100)).toEqual({ checkpoint: head, applied: head });
    expect(seen()).toEqual(range(1, head).filter((p) => p !== poison));
    expect(deadLetters()).toEqual([
      { position: poison, eventId: expect.any(String), type: 'ParcelRegistered', error: `probe refuses position ${poison}`, attempts: HANDLER_ATTEMPTS },
    ]);
    expect(probe.calls.get(poison)).toBeGreaterThanOrEqual(HANDLER_ATTEMPTS);
  });

  it('does not retry a parked event on later batches (no hot loop)', () => {
    const probe = createProbe('park');
    probe.poisoned.add(poison);
    const { projector } = projectorFor(probe);
    projector.runBatch(100);
    const callsWhenParked = probe.calls.get(poison);

    for (let i = 0; i < 5; i++) expect(projector.runBatch(100)).toEqual({ checkpoint: head, applied: 0 });
    expect(projector.catchUp(1)).toBe(head);
    expect(probe.calls.get(poison)).toBe(callsWhenParked);
  });

  it('keeps the dead letter when a retry fails again, and applies and removes it once the handler is fixed', () => {
    const probe = createProbe('park');
    probe.poisoned.add(poison);
    const { projector, seen, deadLetters } = projectorFor(probe);
    projector.runBatch(100);

    expect(() => projector.retryDeadLetter(poison)).toThrow(`probe refuses position ${poison}`);
    expect(deadLetters()).toHaveLength(1);

    probe.poisoned.delete(poison); // the fix
    projector.retryDeadLetter(poison);
    expect(deadLetters()).toEqual([]);
    expect(seen()).toEqual(range(1, head));
    expect(projector.checkpoint()).toBe(head);
  });

  it('removes the dead letter on skip without applying the event', () => {
    const probe = createProbe('park');
    probe.poisoned.add(poison);
    const { projector, seen, deadLetters } = projectorFor(probe);
    projector.runBatch(100);

    projector.skipDeadLetter(poison);
    expect(deadLetters()).toEqual([]);
    expect(seen()).not.toContain(poison);
    expect(projector.checkpoint()).toBe(head);
  });
});

describe('a handler that throws, with policy halt', () => {
  it('rolls the whole batch back and throws ProjectionHaltedError, leaving the checkpoint where it was', () => {
    const probe = createProbe('halt');
    probe.poisoned.add(poison);
    const { projector, seen, deadLetters } = projectorFor(probe);
    expect(projector.runBatch(2)).toEqual({ checkpoint: 2, applied: 2 });

    let thrown: unknown;
    try {
      projector.runBatch(100);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProjectionHaltedError);
    expect(thrown).toMatchObject({ projection: 'depot_board', position: poison, reason: `probe refuses position ${poison}` });
    expect(projector.checkpoint()).toBe(2);
    expect(seen()).toEqual([1, 2]);
    expect(deadLetters()).toEqual([]);

    expect(() => projector.runBatch(100)).toThrow(ProjectionHaltedError);
    probe.poisoned.delete(poison);
    expect(projector.runBatch(100)).toEqual({ checkpoint: head, applied: head - 2 });
    expect(seen()).toEqual(range(1, head));
  });
});

describe('a gap in the log', () => {
  /** A hand-made log with positions 1, 2 and 4 (hashes are not checked by projectors). */
  function logWithGap(): string {
    const path = join(dir, 'gap.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
      type TEXT NOT NULL, schema_version INTEGER NOT NULL, payload TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, hash TEXT NOT NULL)`);
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [position, version] of [[1, 1], [2, 2], [4, 4]] as const) {
      const at = `2026-03-02T0${position}:00:00.000Z`;
      const metadata = { commandId: `c${position}`, correlationId: `c${position}`, causationId: `c${position}`, actor: null, deviceId: null, recordedAt: at };
      insert.run(position, `e${position}`, 'region-north', version, 'WeatherRecorded', currentSchemaVersion.WeatherRecorded, JSON.stringify({ region: 'north', condition: 'rain', at }), JSON.stringify(metadata), at, 'x');
    }
    db.close();
    return path;
  }

  it('makes runBatch throw ProjectionGapError and leaves the checkpoint before the gap', () => {
    const probe = createProbe('park');
    const { projector, seen } = projectorFor(probe, { logPath: logWithGap() });
    expect(projector.runBatch(2)).toEqual({ checkpoint: 2, applied: 2 });

    expect(() => projector.runBatch(100)).toThrow(ProjectionGapError);
    expect(() => projector.runBatch(100)).toThrow(expect.objectContaining({ expected: 3, found: 4 }));
    expect(projector.checkpoint()).toBe(2);
    expect(seen()).toEqual([1, 2]);
  });

  it('never applies an event after the gap, whatever the batch size', () => {
    const logPath = logWithGap();
    for (const size of [1, 3, 1000]) {
      const { projector, seen } = projectorFor(createProbe('park'), { logPath, file: `probe-${size}.db` });
      expect(() => projector.catchUp(size)).toThrow(ProjectionGapError);
      expect(projector.checkpoint()).toBeLessThanOrEqual(2);
      expect(seen()).toEqual(range(1, projector.checkpoint()));
      expect(seen()).not.toContain(4);
    }
  });
});
