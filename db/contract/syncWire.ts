// The wire between a laptop and the sync server: every request and answer, declared once. Both
// sides parse what they receive with these schemas; nothing else crosses.
import { z } from 'zod';
import { errorBodySchema } from './errors.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lowercase UUID');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');
/** JSON object text, stored and hashed byte for byte. */
const jsonObjectText = z
  .string()
  .max(256 * 1024)
  .refine((text) => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      return false;
    }
  }, 'must be the text of a JSON object');

/** An event as its origin device recorded it. Local positions and stream versions never cross the wire. */
export const wireEventSchema = z.strictObject({
  eventId: uuid,
  deviceId: uuid,
  /** Dense per device: 1, 2, 3, … */
  deviceSeq: z.number().int().min(1),
  /** originHash (db/log/originHash.ts) over the device's previous hash and this event. */
  deviceHash: sha256Hex,
  streamId: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  schemaVersion: z.number().int().min(1),
  recordedAt: z.iso.datetime({ offset: true }),
  payload: jsonObjectText,
  metadata: jsonObjectText,
});
export type WireEvent = z.infer<typeof wireEventSchema>;

/** An event as the server stored it: its place in the one shared order, and when the server got it. */
export const pulledEventSchema = wireEventSchema.extend({
  serverSeq: z.number().int().min(1),
  receivedAt: z.iso.datetime({ offset: true }),
});
export type PulledEvent = z.infer<typeof pulledEventSchema>;

export const MAX_PUSH_EVENTS = 1000;
export const MAX_PULL_EVENTS = 5000;
/** The largest request body the server reads; a larger one is refused before it is parsed. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

const refusal = z.strictObject({
  ok: z.literal(false),
  error: errorBodySchema,
  /** With rule `sequence_gap`: the device sequence the server expects next. */
  expected: z.number().int().min(1).optional(),
});
export type SyncRefusal = z.infer<typeof refusal>;

function answer<T extends z.ZodRawShape>(shape: T) {
  return z.union([z.strictObject({ ok: z.literal(true), ...shape }), refusal]);
}

/** POST /v1/enrol (no credentials: the one-time code is the credential). */
export const enrolRequestSchema = z.strictObject({
  code: z.string().min(1).max(64),
  /** The data folder's device id (its `device` table): every event it recorded names it. */
  deviceId: uuid,
});
export const enrolAnswerSchema = answer({
  deviceId: uuid,
  name: z.string(),
  /** The device's secret, shown once: the server keeps only its hash. */
  secret: z.string().min(32),
  serverId: uuid,
});

/**
 * Every request but enrol carries `Authorization: Bearer <deviceId>:<secret>` and these headers,
 * which the server keeps per device (last seen, pending, clock skew).
 */
export const DEVICE_HEAD_HEADER = 'waybill-device-head';
export const SENT_AT_HEADER = 'waybill-sent-at';
export const deviceHeadersSchema = z.object({
  /** The device's highest own sequence: what it has recorded, pushed or not. */
  [DEVICE_HEAD_HEADER]: z.coerce.number().int().min(0),
  /** The device's clock when it sent the request. */
  [SENT_AT_HEADER]: z.iso.datetime({ offset: true }),
});

/** POST /v1/push: the device's events after its acked sequence, in sequence order. */
export const pushRequestSchema = z.strictObject({
  events: z.array(wireEventSchema).min(1).max(MAX_PUSH_EVENTS),
});
export const pushAnswerSchema = answer({
  /** The device's highest sequence the server holds: everything up to it is safe. */
  acked: z.number().int().min(0),
  /** The server's highest sequence when this push committed: pulling up to it includes this push. */
  serverHead: z.number().int().min(0),
  stored: z.number().int().min(0),
  /** Events the server already had (a batch sent again): skipped, not stored twice. */
  duplicates: z.number().int().min(0),
});

/** GET /v1/pull?after=N&limit=M[&wait=S]: events after the cursor in server order; `wait` long-polls up to S seconds for the first. */
export const pullQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_EVENTS).default(1000),
  wait: z.coerce.number().int().min(0).max(30).default(0),
});
export const pullAnswerSchema = answer({
  events: z.array(pulledEventSchema),
  /** The server's highest sequence: the cursor is caught up when it reaches it with an empty page. */
  serverHead: z.number().int().min(0),
});

/** GET /v1/device: this device as the server knows it. */
export const deviceAnswerSchema = answer({
  deviceId: uuid,
  name: z.string(),
  acked: z.number().int().min(0),
  serverHead: z.number().int().min(0),
  serverId: uuid,
});

const moment = z.iso.datetime({ offset: true });

/** One enrolled device as the fleet sees it: how it stands with the server, never its secret. */
export const fleetDeviceSchema = z.strictObject({
  deviceId: uuid,
  name: z.string(),
  enrolledAt: moment,
  lastSeenAt: moment.nullable(),
  /** The device's highest sequence the server holds. */
  acked: z.number().int().min(0),
  /** What the device said it has recorded beyond what the server holds. */
  pending: z.number().int().min(0),
  /** The device's clock minus the server's at its last request; flagged past the server's threshold. */
  skewMs: z.number().int().nullable(),
  skewFlagged: z.boolean(),
  /** The device sent a different event for a sequence the server holds: its pushes are refused. */
  forked: z.boolean(),
  revokedAt: moment.nullable(),
});
export type FleetDevice = z.infer<typeof fleetDeviceSchema>;

/** GET /v1/fleet: every device enrolled on the server, oldest first, for any signed-in device (the office's view). */
export const fleetAnswerSchema = answer({ devices: z.array(fleetDeviceSchema) });

export type EnrolAnswer = z.infer<typeof enrolAnswerSchema>;
export type PushAnswer = z.infer<typeof pushAnswerSchema>;
export type PullAnswer = z.infer<typeof pullAnswerSchema>;
export type DeviceAnswer = z.infer<typeof deviceAnswerSchema>;
export type FleetAnswer = z.infer<typeof fleetAnswerSchema>;
