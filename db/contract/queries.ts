// Every named query: its parameters, its answer, and how fresh the answer is.
import { z } from 'zod';
import { errorBodySchema } from './errors.ts';
import { conflictKinds, conflictOutcomes, count, id, isoTime, parcelStatuses, position, readModelNames, regionName, weatherConditions } from './shapes.ts';

const pageLimit = z.number().int().min(1).max(1000).default(100);
const cursor = z.string().max(400).optional();
const searchText = z.string().max(200).optional();

export const querySchemas = {
  'parcels.list': z.strictObject({
    status: z.enum(parcelStatuses).optional(),
    depotId: id.optional(),
    search: searchText,
    sort: z.enum(['updated', 'tracking']).default('updated'),
    after: cursor,
    limit: pageLimit,
  }),
  'parcel.summary': z
    .strictObject({ parcelId: id.optional(), trackingCode: z.string().trim().max(20).optional() })
    .refine((p) => (p.parcelId === undefined) !== (p.trackingCode === undefined), {
      message: 'give exactly one of parcelId or trackingCode',
      path: ['parcelId'],
    }),
  'parcel.timeline': z.strictObject({ parcelId: id, after: z.number().int().min(0).optional(), limit: pageLimit }),
  'parcel.eta': z.strictObject({ parcelId: id }),
  'region.deliveryTimes': z.strictObject({ region: regionName }),
  'route.current': z.strictObject({ driverId: id }),
  'depots.board': z.strictObject({}),
  'events.list': z.strictObject({
    streamId: z.string().min(1).max(100).optional(),
    type: z.string().min(1).max(60).optional(),
    actor: z.string().min(1).max(80).optional(),
    correlationId: z.string().min(1).max(64).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    search: searchText,
    before: z.number().int().min(1).optional(),
    limit: pageLimit,
  }),
  'event.get': z.strictObject({ position: z.number().int().min(1) }),
  'projections.status': z.strictObject({}),
  /** Conflicts the shared order produced, newest first. */
  'conflicts.list': z.strictObject({ state: z.enum(['open', 'resolved', 'all']).default('open'), before: z.number().int().min(1).optional(), limit: pageLimit }),
} as const;
export type QueryName = keyof typeof querySchemas;
export const queryNames = Object.keys(querySchemas) as QueryName[];
export type QueryParams<Q extends QueryName> = z.input<(typeof querySchemas)[Q]>;

export const queryOptionsSchema = z.strictObject({
  /** Wait until the read model has reached this position (read-your-writes). */
  minPosition: z.number().int().min(0).optional(),
  /** How long to wait for `minPosition`, in ms (default 2000, at most 30000). */
  timeoutMs: z.number().int().min(0).max(30_000).optional(),
});
export type QueryOptions = z.infer<typeof queryOptionsSchema>;

// ── Answers ──────────────────────────────────────────────────────────────────────────────
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const status = z.enum(parcelStatuses);
const weatherOrUnknown = z.enum([...weatherConditions, 'unknown']);

export const parcelSummaryRowSchema = z.strictObject({
  parcelId: z.string(),
  trackingCode: z.string(),
  recipientName: z.string(),
  recipientPhone: nullable(z.string()),
  street: z.string(),
  city: z.string(),
  postcode: z.string(),
  description: nullable(z.string()),
  weightKg: z.number(),
  originDepotId: z.string(),
  destinationDepotId: z.string(),
  destinationRegion: nullable(z.string()),
  status,
  currentDepotId: nullable(z.string()),
  routeId: nullable(z.string()),
  driverId: nullable(z.string()),
  attempts: count,
  exceptions: count,
  lastException: nullable(z.string()),
  promisedBy: nullable(z.string()),
  registeredAt: z.string(),
  /** The delivery estimate as of now (the same parcel.eta explains). */
  eta: nullable(z.string()),
  deliveredAt: nullable(z.string()),
  updatedAt: z.string(),
  /** For every stored field, the global position of the event that last set it. */
  setBy: z.record(z.string(), position),
  lastPosition: position,
});
export type ParcelSummaryRow = z.infer<typeof parcelSummaryRowSchema>;

export const timelineRowSchema = z.strictObject({
  position,
  eventId: z.string(),
  type: z.string(),
  at: z.string(),
  summary: z.string(),
  depotId: nullable(z.string()),
  routeId: nullable(z.string()),
  actor: nullable(z.string()),
});
export type TimelineRow = z.infer<typeof timelineRowSchema>;

export const routeStopRowSchema = z.strictObject({
  stop: z.number().int().min(1),
  parcelId: z.string(),
  trackingCode: nullable(z.string()),
  recipientName: nullable(z.string()),
  street: nullable(z.string()),
  city: nullable(z.string()),
  state: z.enum(['pending', 'delivered', 'failed']),
  reason: nullable(z.string()),
  at: nullable(z.string()),
});
export type RouteStopRow = z.infer<typeof routeStopRowSchema>;

export const routeBoardSchema = z.strictObject({
  routeId: z.string(),
  driverId: z.string(),
  driverName: nullable(z.string()),
  depotId: z.string(),
  date: z.string(),
  state: z.enum(['planned', 'started', 'completed']),
  startedAt: nullable(z.string()),
  stops: z.array(routeStopRowSchema),
});
export type RouteBoard = z.infer<typeof routeBoardSchema>;

export const depotBoardRowSchema = z.strictObject({
  depotId: z.string(),
  name: z.string(),
  region: z.string(),
  counts: z.record(status, count),
  total: count,
});
export type DepotBoardRow = z.infer<typeof depotBoardRowSchema>;

export const etaAnswerSchema = z.strictObject({
  parcelId: z.string(),
  status,
  eta: nullable(z.string()),
  basis: z.strictObject({
    region: nullable(z.string()),
    condition: weatherOrUnknown,
    samples: count,
    averageHours: nullable(z.number()),
    method: z.enum(['delivered', 'history', 'default']),
    explanation: z.string(),
  }),
});
export type EtaAnswer = z.infer<typeof etaAnswerSchema>;

/** How long deliveries to a region took, by the weather there when they were delivered. */
export const regionDeliveryTimesSchema = z.strictObject({
  region: z.string(),
  /** The region's weather now, and since when it has held; null when none was recorded. */
  condition: nullable(z.enum(weatherConditions)),
  since: nullable(z.string()),
  byCondition: z.array(
    z.strictObject({ condition: weatherOrUnknown, deliveries: count, averageHours: z.number(), minHours: z.number(), maxHours: z.number() }),
  ),
});
export type RegionDeliveryTimes = z.infer<typeof regionDeliveryTimesSchema>;

export const eventRowSchema = z.strictObject({
  position,
  eventId: z.string(),
  streamId: z.string(),
  version: z.number().int().min(1),
  type: z.string(),
  schemaVersion: z.number().int().min(1),
  recordedAt: z.string(),
  actor: nullable(z.string()),
  correlationId: nullable(z.string()),
  causationId: nullable(z.string()),
  commandId: nullable(z.string()),
  deviceId: nullable(z.string()),
  payload: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
});
export type EventRow = z.infer<typeof eventRowSchema>;

export const deadLetterSchema = z.strictObject({
  position,
  eventId: z.string(),
  type: z.string(),
  error: z.string(),
  attempts: count,
  parkedAt: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export const projectionStates = ['idle', 'catching_up', 'rebuilding', 'halted', 'stopped'] as const;
export type ProjectionState = (typeof projectionStates)[number];

export const rebuildProgressSchema = z.strictObject({
  name: z.enum(readModelNames),
  position,
  target: position,
  eventsPerSecond: count,
  etaSeconds: nullable(z.number()),
  /** `queued`: waiting for a free rebuild slot (the engine builds a few at a time). */
  phase: z.enum(['queued', 'loading', 'indexing', 'verifying', 'swapping', 'done', 'cancelled', 'failed']),
  error: z.string().optional(),
});
export type RebuildProgress = z.infer<typeof rebuildProgressSchema>;

export const projectionStatusSchema = z.strictObject({
  name: z.enum(readModelNames),
  version: z.number().int(),
  storedVersion: nullable(z.number().int()),
  checkpoint: position,
  head: position,
  lag: count,
  state: z.enum(projectionStates),
  policy: z.enum(['halt', 'park']),
  error: nullable(z.string()),
  eventsPerSecond: count,
  deadLetters: z.array(deadLetterSchema),
  rebuild: nullable(rebuildProgressSchema),
});
export type ProjectionStatus = z.infer<typeof projectionStatusSchema>;

/** A keyset page: pass `next` back as `after`/`before` for the next one; null on the last. */
const page = <Row extends z.ZodType, Next extends z.ZodType>(row: Row, next: Next) => z.strictObject({ rows: z.array(row), next: next.nullable() });

/** One side of a conflict: the event, where and when it was recorded. */
const conflictSideSchema = z.strictObject({
  eventId: z.string(),
  position,
  type: z.string(),
  deviceId: z.string().nullable(),
  actor: z.string().nullable(),
  recordedAt: z.string(),
});
export const conflictRowSchema = z.strictObject({
  conflictId: z.string(),
  kind: z.enum(conflictKinds),
  parcelId: z.string(),
  /** What clashed, for a person. */
  summary: z.string(),
  /** The event that stands (first in the shared order) and the one that broke the rule. */
  first: conflictSideSchema,
  second: conflictSideSchema,
  /** Position of the breaking event here: the key pages go by. */
  position,
  state: z.enum(['open', 'resolved']),
  resolution: z.strictObject({ outcome: z.enum(conflictOutcomes), note: z.string().nullable(), actor: z.string().nullable(), at: z.string() }).nullable(),
});
export type ConflictRow = z.infer<typeof conflictRowSchema>;

export const queryResultSchemas = {
  'parcels.list': page(parcelSummaryRowSchema, z.string()).extend({ total: count }),
  'parcel.summary': parcelSummaryRowSchema.nullable(),
  'parcel.timeline': page(timelineRowSchema, position),
  'parcel.eta': etaAnswerSchema.nullable(),
  'region.deliveryTimes': regionDeliveryTimesSchema,
  'route.current': routeBoardSchema.nullable(),
  'depots.board': z.array(depotBoardRowSchema),
  'events.list': page(eventRowSchema, position),
  'event.get': eventRowSchema.nullable(),
  'projections.status': z.strictObject({
    head: position,
    projections: z.array(projectionStatusSchema),
    /** Why this session refuses commands (the folder was opened read-only, or the log is damaged); null while it records. */
    writeRefusal: errorBodySchema.nullable(),
  }),
  'conflicts.list': page(conflictRowSchema, position).extend({ open: count }),
} as const satisfies Record<QueryName, z.ZodType>;
export type QueryResults = { [Q in QueryName]: z.infer<(typeof queryResultSchemas)[Q]> };

/** Every answer says how fresh it is. */
export const freshnessSchema = z.strictObject({
  readModel: nullable(z.enum(readModelNames)),
  position,
  head: position,
  lag: count,
  /** True when `minPosition` was asked for and not reached before the timeout. */
  stale: z.boolean(),
});
export type Freshness = z.infer<typeof freshnessSchema>;
