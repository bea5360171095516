// A test-only projection: records which positions it saw, and throws for the events a test poisons.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { eventTypes, type StoredEvent } from '../../../db/domain/events.ts';
import { defineProjection, type DeadLetterPolicy, type Projection } from '../../../db/readmodel/projection.ts';

export const probeSeen = sqliteTable('probe_seen', {
  position: integer('position').primaryKey(),
  type: text('type').notNull(),
});

export interface Probe {
  projection: Projection;
  /** Positions whose handler throws while they are listed. */
  poisoned: Set<number>;
  /** How many times the handler was called per position. */
  calls: Map<number, number>;
}

export function createProbe(policy: DeadLetterPolicy): Probe {
  const poisoned = new Set<number>();
  const calls = new Map<number, number>();
  const projection = defineProjection({
    // The runtime keys checkpoints by read-model name; the probe borrows one in its own scratch file.
    name: 'depot_board',
    version: 1,
    policy,
    tables: [probeSeen],
    handles: eventTypes,
    prepare(db) {
      const insert = db.prepare('INSERT INTO probe_seen (position, type) VALUES (?, ?)');
      return (event: StoredEvent) => {
        calls.set(event.position, (calls.get(event.position) ?? 0) + 1);
        if (poisoned.has(event.position)) throw new Error(`probe refuses position ${event.position}`);
        insert.run(event.position, event.type);
      };
    },
  });
  return { projection, poisoned, calls };
}
