// Operations beyond commands and queries: rebuilds, verify, dead letters, demo data, and the
// file operations of the command line.
import { z } from 'zod';
import { count, position, readModelNames } from './shapes.ts';

export const rebuildRequestSchema = z.strictObject({ projection: z.enum(readModelNames).optional() });
export const seedRequestSchema = z.strictObject({
  events: z.number().int().min(1).max(50_000_000),
  seed: z.number().int().min(0).default(1),
});
export const deadLetterActionSchema = z.strictObject({
  projection: z.enum(readModelNames),
  position: z.number().int().min(1),
  action: z.enum(['retry', 'skip']),
});

export const verifyReportSchema = z.strictObject({
  /** True when the log and every read model verified. */
  ok: z.boolean(),
  log: z.strictObject({
    head: position,
    gapless: z.boolean(),
    guards: z.boolean(),
    integrity: z.string(),
    chain: z.strictObject({ ok: z.boolean(), firstBadPosition: position.nullable() }),
    /** Every event has an origin, and each device's events are numbered 1, 2, 3… with its own hash chain intact. */
    origins: z.strictObject({ ok: z.boolean(), devices: count, firstBadPosition: position.nullable() }),
  }),
  readModels: z.array(
    z.strictObject({ name: z.enum(readModelNames), ok: z.boolean(), checksum: z.string(), rebuiltChecksum: z.string(), checkpoint: position }),
  ),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;

/** A file on the machine that runs the core (only the command line, whose user owns that machine, names one). */
const filePath = z.string().min(1).max(4096);
export const fileRequestSchemas = {
  backup: z.strictObject({ to: filePath }),
  export: z.strictObject({ to: filePath }),
  import: z.strictObject({ from: filePath }),
} as const;

export const seedOutcomeSchema = z.strictObject({ events: count, head: position, days: count });
