// Tables every read-model file carries besides its own: the checkpoint (committed in the same
// transaction as the rows it covers) and the dead letters of events whose handler threw.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const checkpointTable = sqliteTable('_checkpoint', {
  projection: text('projection').primaryKey(),
  version: integer('version').notNull(),
  position: integer('position').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const deadLetterTable = sqliteTable('_dead_letters', {
  position: integer('position').primaryKey(),
  eventId: text('event_id').notNull(),
  type: text('type').notNull(),
  error: text('error').notNull(),
  attempts: integer('attempts').notNull(),
  parkedAt: text('parked_at').notNull(),
});
