// Tables every read-model file carries besides its own: the checkpoint (committed in the same
// transaction as the rows it covers), how far it was built in the server's order, and the dead
// letters of events whose handler threw.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const checkpointTable = sqliteTable('_checkpoint', {
  projection: text('projection').primaryKey(),
  version: integer('version').notNull(),
  position: integer('position').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * The last reorder (db/log schema: `reorders`) this file was built in the server's order through:
 * a start that finds a later one in the log rebuilds the file (a crash may have come between
 * the pull that reordered the log and its rebuild).
 */
export const serverOrderTable = sqliteTable('_server_order', {
  projection: text('projection').primaryKey(),
  builtThrough: integer('built_through').notNull(),
});

export const deadLetterTable = sqliteTable('_dead_letters', {
  position: integer('position').primaryKey(),
  eventId: text('event_id').notNull(),
  type: text('type').notNull(),
  error: text('error').notNull(),
  attempts: integer('attempts').notNull(),
  parkedAt: text('parked_at').notNull(),
});
