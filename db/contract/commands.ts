// Every command with its payload schema, and what recording one answers.
import { z } from 'zod';
import { conflictOutcomes, deliveryOutcomes, exceptionKinds, id, isoDate, isoTime, optionalText, position, regionName, scanKinds, text, weatherConditions } from './shapes.ts';

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
  /** Closes a sync conflict (conflicts.list) with what a person decided; it syncs like any command. */
  ResolveConflict: z.strictObject({ conflictId: z.string().regex(/^[0-9a-f-]{36}$/, 'must be a conflict id from the conflicts list'), outcome: z.enum(conflictOutcomes), note: optionalText(500) }),
} as const;

export type CommandType = keyof typeof commandPayloadSchemas;
export const commandTypes = Object.keys(commandPayloadSchemas) as CommandType[];
export type CommandPayload<T extends CommandType> = z.infer<(typeof commandPayloadSchemas)[T]>;
export type AnyCommand = { [T in CommandType]: { type: T; payload: CommandPayload<T> } }[CommandType];

/** The envelope around a payload. Ids are optional (the core fills them); who sends it is the session's to say, never the caller's. */
const envelope = {
  commandId: id.optional(),
  /** The version of the command's main stream the caller last saw; a mismatch is CONCURRENCY. */
  expectedVersion: z.number().int().min(0).optional(),
  correlationId: id.optional(),
  causationId: id.optional(),
};

const commandSchema = <T extends CommandType>(type: T) => z.strictObject({ type: z.literal(type), payload: commandPayloadSchemas[type], ...envelope });

/** One command as a caller sends it: its type picks the payload's schema. */
export const commandRequestSchema = z.discriminatedUnion('type', [
  commandSchema('RegisterDepot'),
  commandSchema('RegisterDriver'),
  commandSchema('RegisterParcel'),
  commandSchema('RecordScan'),
  commandSchema('PlanRoute'),
  commandSchema('StartRoute'),
  commandSchema('RecordDeliveryAttempt'),
  commandSchema('ReportException'),
  commandSchema('RecordWeather'),
  commandSchema('ResolveConflict'),
]);
/** A command request as sent (payload fields with defaults may be left out). */
export type CommandRequest = z.input<typeof commandRequestSchema>;
/** A command request as validated at the boundary. */
export type ValidCommandRequest = z.output<typeof commandRequestSchema>;

export const appendedEventSchema = z.strictObject({
  position: position,
  eventId: z.string(),
  streamId: z.string(),
  version: z.number().int().min(1),
  type: z.string(),
});
export type AppendedEventRef = z.infer<typeof appendedEventSchema>;

/** What recording a command answers: its id, the position of its last event (for read-your-writes), its events. */
export const commandOutcomeSchema = z.strictObject({
  commandId: z.string(),
  position: position,
  events: z.array(appendedEventSchema),
  /** True when this command id was recorded before: the first answer, and nothing appended. */
  duplicate: z.boolean(),
});

type _EveryCommandInTheUnion = Exclude<CommandType, ValidCommandRequest['type']> extends never ? true : never;
/** Compiles only while every command type has its branch in commandRequestSchema. */
export const everyCommandInTheUnion: _EveryCommandInTheUnion = true;
