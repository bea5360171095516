// Push topics: what the core tells listeners without being asked.
import { z } from 'zod';
import { projectionStatusSchema, rebuildProgressSchema } from './queries.ts';
import { count, position } from './shapes.ts';
import { syncStatusSchema } from './sync.ts';

export const topicSchemas = {
  /** The log's head moved. */
  head: z.strictObject({ head: position, appendedPerSecond: count }),
  /** A projection's checkpoint, lag or state changed. */
  projection: projectionStatusSchema,
  rebuild: rebuildProgressSchema,
  /** Demo data being appended (the seed operation): how far it has got. */
  seed: z.strictObject({ appended: count, target: count }),
  /** This laptop's sync moved: pushed, pulled, went on or offline. */
  sync: syncStatusSchema,
} as const;
export type PushTopic = keyof typeof topicSchemas;
export const pushTopics = Object.keys(topicSchemas) as PushTopic[];
export type PushMessages = { [T in PushTopic]: z.infer<(typeof topicSchemas)[T]> };
