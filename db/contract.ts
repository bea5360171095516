// The one place where every command, query and push message is declared with its schema.
// The core, the CLI, the IPC handlers, the browser-mode bridge and the renderer all infer
// their types from here. Keep this file free of Node imports: the renderer loads it.
import { z } from 'zod';

// ── Identifiers and small shapes ────────────────────────────────────────────────────────
const id = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'may use letters, digits, _ . : - and must start with a letter or digit');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time such as 2026-11-27T09:30:00Z' });
const isoDate = z.iso.date('must be a date such as 2026-11-27');
export const regionName = z
  .string()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, starting with a letter');

export const parcelStatuses = [
  'registered',
  'in_transit',
  'at_depot',
  'planned',
  'out_for_delivery',
  'attempt_failed',
  'delivered',
  'lost',
] as const;
export type ParcelStatus = (typeof parcelStatuses)[number];
export const scanKinds = ['arrived', 'departed'] as const;
export const deliveryOutcomes = ['delivered', 'failed'] as const;
export const exceptionKinds = ['damaged', 'lost', 'address_problem'] as const;
export const weatherConditions = ['clear', 'rain', 'snow', 'storm', 'heat'] as const;
export type WeatherCondition = (typeof weatherConditions)[number];

/** Every event type the core records (their payloads are declared in db/domain/events.ts). */
export const eventTypeNames = [
  'DepotRegistered',
  'DriverRegistered',
  'ParcelRegistered',
  'ParcelScanned',
  'RoutePlanned',
  'ParcelAddedToRoute',
  'RouteStarted',
  'ParcelOutForDelivery',
  'DeliveryAttempted',
  'RouteStopClosed',
  'RouteCompleted',
  'ExceptionReported',
  'WeatherRecorded',
] as const;
export type EventTypeName = (typeof eventTypeNames)[number];

// ── Commands ────────────────────────────────────────────────────────────────────────────
export const recipientSchema = z.strictObject({
  name: text(120),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{5,24}$/, 'must be a phone number such as +44 20 7946 0958')
    .optional(),
  street: text(160),
  city: text(80),
  postcode: z.string().trim().regex(/^[A-Za-z0-9 -]{2,12}$/, 'must be 2–12 letters, digits, spaces or dashes'),
});
export type Recipient = z.infer<typeof recipientSchema>;

export const commandPayloadSchemas = {
  RegisterDepot: z.strictObject({ depotId: id, name: text(80), region: regionName }),
  RegisterDriver: z.strictObject({ driverId: id, name: text(80), homeDepotId: id }),
  RegisterParcel: z.strictObject({
    parcelId: id,
    trackingCode: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{6,20}$/, 'must be 6–20 upper-case letters or digits'),
    recipient: recipientSchema,
    originDepotId: id,
    destinationDepotId: id,
    weightKg: z.number().finite().positive('must be more than 0').max(1000, 'must be at most 1000 kg'),
    description: optionalText(500),
    promisedBy: isoTime.optional(),
  }),
  RecordScan: z.strictObject({ parcelId: id, depotId: id, kind: z.enum(scanKinds), at: isoTime.optional() }),
  PlanRoute: z.strictObject({
    routeId: id,
    driverId: id,
    depotId: id,
    date: isoDate,
    parcelIds: z
      .array(id)
      .min(1, 'must list at least one parcel')
      .max(200, 'must list at most 200 parcels')
      .refine((ids) => new Set(ids).size === ids.length, 'must not list a parcel twice'),
  }),
  StartRoute: z.strictObject({ routeId: id, at: isoTime.optional() }),
  RecordDeliveryAttempt: z.strictObject({
    parcelId: id,
    routeId: id,
    outcome: z.enum(deliveryOutcomes),
    reason: optionalText(200),
    at: isoTime.optional(),
  }),
  ReportException: z.strictObject({ parcelId: id, kind: z.enum(exceptionKinds), note: optionalText(500), at: isoTime.optional() }),
  RecordWeather: z.strictObject({ region: regionName, condition: z.enum(weatherConditions), at: isoTime.optional() }),
} as const;

export type CommandType = keyof typeof commandPayloadSchemas;
export const commandTypes = Object.keys(commandPayloadSchemas) as CommandType[];
export type CommandPayload<T extends CommandType> = z.infer<(typeof commandPayloadSchemas)[T]>;
export type AnyCommand = { [T in CommandType]: { type: T; payload: CommandPayload<T> } }[CommandType];

/** What a caller sends: the command plus its envelope. Ids and times are optional; the core fills them. */
export const commandRequestSchema = z.strictObject({
  type: z.enum(commandTypes as [CommandType, ...CommandType[]]),
  payload: z.unknown(),
  commandId: id.optional(),
  /** The version of the command's main stream the caller last saw; a mismatch is CONCURRENCY. */
  expectedVersion: z.number().int().min(0).optional(),
  correlationId: id.optional(),
  causationId: id.optional(),
  actor: text(80).optional(),
  deviceId: text(80).optional(),
});
export type CommandRequest = z.infer<typeof commandRequestSchema>;

export const errorCodes = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'RULE',
  'CONCURRENCY',
  'UNAVAILABLE',
  'TIMEOUT',
  'STORAGE_FULL',
  'READ_ONLY',
  'CORRUPT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];
export interface WaybillErrorBody {
  code: ErrorCode;
  message: string;
  /** Dotted path of the offending field, when one field is at fault. */
  field?: string;
  /** Name of the business rule that rejected the command. */
  rule?: string;
  /** Whether retrying the same call later may succeed. */
  retryable?: boolean;
}

export interface AppendedEventRef {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
}
export type CommandResult =
  | { ok: true; commandId: string; position: number; events: AppendedEventRef[]; duplicate: boolean }
  | { ok: false; error: WaybillErrorBody };

// ── Read models ─────────────────────────────────────────────────────────────────────────
export const readModelNames = [
  'parcel_summary',
  'parcel_timeline',
  'route_board',
  'depot_board',
  'eta_stats',
  'event_history',
] as const;
export type ReadModelName = (typeof readModelNames)[number];

// ── Queries ─────────────────────────────────────────────────────────────────────────────
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
} as const;
export type QueryName = keyof typeof querySchemas;
export const queryNames = Object.keys(querySchemas) as QueryName[];
export type QueryParams<Q extends QueryName> = z.input<(typeof querySchemas)[Q]>;

export interface ParcelSummaryRow {
  parcelId: string;
  trackingCode: string;
  recipientName: string;
  recipientPhone: string | null;
  street: string;
  city: string;
  postcode: string;
  description: string | null;
  weightKg: number;
  originDepotId: string;
  destinationDepotId: string;
  destinationRegion: string | null;
  status: ParcelStatus;
  currentDepotId: string | null;
  routeId: string | null;
  driverId: string | null;
  attempts: number;
  exceptions: number;
  lastException: string | null;
  promisedBy: string | null;
  registeredAt: string;
  eta: string | null;
  deliveredAt: string | null;
  updatedAt: string;
  /** For every field, the global position of the event that last set it. */
  setBy: Record<string, number>;
  lastPosition: number;
}
export interface TimelineRow {
  position: number;
  eventId: string;
  type: string;
  at: string;
  summary: string;
  depotId: string | null;
  routeId: string | null;
  actor: string | null;
}
export interface RouteStopRow {
  stop: number;
  parcelId: string;
  trackingCode: string | null;
  recipientName: string | null;
  street: string | null;
  city: string | null;
  state: 'pending' | 'delivered' | 'failed';
  reason: string | null;
  at: string | null;
}
export interface RouteBoard {
  routeId: string;
  driverId: string;
  driverName: string | null;
  depotId: string;
  date: string;
  state: 'planned' | 'started' | 'completed';
  startedAt: string | null;
  stops: RouteStopRow[];
}
export interface DepotBoardRow {
  depotId: string;
  name: string;
  region: string;
  counts: Record<ParcelStatus, number>;
  total: number;
}
export interface EtaAnswer {
  parcelId: string;
  status: ParcelStatus;
  eta: string | null;
  basis: {
    region: string | null;
    condition: WeatherCondition | 'unknown';
    samples: number;
    averageHours: number | null;
    method: 'delivered' | 'history' | 'default';
    explanation: string;
  };
}
/** How long deliveries to a region took, by the weather there when they were delivered. */
export interface RegionDeliveryTimes {
  region: string;
  /** The region's weather now, and since when it has held; null when none was recorded. */
  condition: WeatherCondition | null;
  since: string | null;
  byCondition: { condition: WeatherCondition | 'unknown'; deliveries: number; averageHours: number; minHours: number; maxHours: number }[];
}
export interface EventRow {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  schemaVersion: number;
  recordedAt: string;
  actor: string | null;
  correlationId: string | null;
  causationId: string | null;
  commandId: string | null;
  deviceId: string | null;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export type ProjectionState = 'idle' | 'catching_up' | 'rebuilding' | 'halted' | 'stopped';
export interface DeadLetter {
  position: number;
  eventId: string;
  type: string;
  error: string;
  attempts: number;
  parkedAt: string;
}
export interface ProjectionStatus {
  name: ReadModelName;
  version: number;
  storedVersion: number | null;
  checkpoint: number;
  head: number;
  lag: number;
  state: ProjectionState;
  policy: 'halt' | 'park';
  error: string | null;
  eventsPerSecond: number;
  deadLetters: DeadLetter[];
  rebuild: RebuildProgress | null;
}
export interface RebuildProgress {
  name: ReadModelName;
  position: number;
  target: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
  /** `queued`: waiting for a free rebuild slot (the engine builds a few at a time). */
  phase: 'queued' | 'loading' | 'indexing' | 'verifying' | 'swapping' | 'done' | 'cancelled' | 'failed';
  error?: string;
}
export interface Page<Row> {
  rows: Row[];
  /** Pass back as `after`/`before` to get the next page; null when this is the last one. */
  next: string | number | null;
}

export interface QueryResults {
  'parcels.list': Page<ParcelSummaryRow> & { total: number };
  'parcel.summary': ParcelSummaryRow | null;
  'parcel.timeline': Page<TimelineRow> & { next: number | null };
  'parcel.eta': EtaAnswer | null;
  'region.deliveryTimes': RegionDeliveryTimes;
  'route.current': RouteBoard | null;
  'depots.board': DepotBoardRow[];
  'events.list': Page<EventRow> & { next: number | null };
  'event.get': EventRow | null;
  'projections.status': {
    head: number;
    projections: ProjectionStatus[];
    /** Why this session refuses commands (the folder was opened read-only, or the log is damaged); null while it records. */
    writeRefusal: WaybillErrorBody | null;
  };
}

/** Every query answer says how fresh it is. */
export interface Freshness {
  readModel: ReadModelName | null;
  position: number;
  head: number;
  lag: number;
  /** True when `minPosition` was asked for and not reached before the timeout. */
  stale: boolean;
}
export type QueryResult<Q extends QueryName> =
  | { ok: true; data: QueryResults[Q]; freshness: Freshness }
  | { ok: false; error: WaybillErrorBody };

export const queryOptionsSchema = z.strictObject({
  /** Wait until the read model has reached this position (read-your-writes). */
  minPosition: z.number().int().min(0).optional(),
  /** How long to wait for `minPosition`, in ms (default 2000, at most 30000). */
  timeoutMs: z.number().int().min(0).max(30_000).optional(),
});
export type QueryOptions = z.infer<typeof queryOptionsSchema>;

// ── Push messages (core → listeners) ────────────────────────────────────────────────────
export interface PushMessages {
  /** The log's head moved. */
  head: { head: number; appendedPerSecond: number };
  /** A projection's checkpoint, lag or state changed. */
  projection: ProjectionStatus;
  rebuild: RebuildProgress;
}
export type PushTopic = keyof PushMessages;

// ── Operations beyond commands and queries ──────────────────────────────────────────────
export const rebuildRequestSchema = z.strictObject({ projection: z.enum(readModelNames).optional() });
export const seedRequestSchema = z.strictObject({
  events: z.number().int().min(100).max(2_000_000),
  seed: z.number().int().min(0).optional(),
});
export const deadLetterActionSchema = z.strictObject({
  projection: z.enum(readModelNames),
  position: z.number().int().min(1),
  action: z.enum(['retry', 'skip']),
});
export interface VerifyReport {
  ok: boolean;
  log: { head: number; gapless: boolean; guards: boolean; integrity: string; chain: { ok: boolean; firstBadPosition: number | null } };
  readModels: { name: ReadModelName; ok: boolean; checksum: string; rebuiltChecksum: string; checkpoint: number }[];
}

/** The one API object the renderer talks to, whatever carries it (Electron IPC, HTTP+WebSocket, in-process). */
export interface WaybillApi {
  command(request: CommandRequest): Promise<CommandResult>;
  query<Q extends QueryName>(name: Q, params: QueryParams<Q>, options?: QueryOptions): Promise<QueryResult<Q>>;
  rebuild(request: z.infer<typeof rebuildRequestSchema>): Promise<{ ok: true } | { ok: false; error: WaybillErrorBody }>;
  cancelRebuild(request: z.infer<typeof rebuildRequestSchema>): Promise<{ ok: true } | { ok: false; error: WaybillErrorBody }>;
  verify(): Promise<VerifyReport>;
  deadLetter(request: z.infer<typeof deadLetterActionSchema>): Promise<{ ok: true } | { ok: false; error: WaybillErrorBody }>;
  seed(request: z.infer<typeof seedRequestSchema>): Promise<{ ok: true; events: number; head: number } | { ok: false; error: WaybillErrorBody }>;
  subscribe<T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void): () => void;
}
