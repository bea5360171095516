// Hostile input for the fuzz scenario: arbitrary JSON, prototype-polluting keys, huge strings,
// deep nesting, wrong types, SQL-looking text and lone surrogates, both on their own and grafted
// into otherwise well-formed commands and queries. Plus the checks every answer must pass.
import fc from 'fast-check';
import { commandTypes, errorCodes, queryNames, type CommandType, type QueryName } from '../../../db/contract/index.ts';

const sqlText = ["'; DROP TABLE events; --", "1' OR '1'='1", 'x" OR 1=1 --', '%', '_%_', '\\', "'); DELETE FROM commands; --", 'NULL', '*/ SELECT * FROM events /*'];
const oddText = ['', ' ', '\u0000', '\uD800', '\uDFFF', 'a\uD83Db', '\uFEFF', '\u202Eevil', '😀'.repeat(50), 'İıǅ', '../../etc/passwd', '<script>alert(1)</script>'];
const ftsText = ['"', '""', 'a OR', 'NEAR(a b)', '*', '^x', 'body:x', '(', ')', 'AND', '-x', '+x', 'x*"', "'", '{a b}: c', 'mill"'];
const pollutingKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

const loneSurrogates = fc.array(fc.integer({ min: 0xd800, max: 0xdfff }), { minLength: 1, maxLength: 8 }).map((units) => String.fromCharCode(...units));
const hugeString = fc.integer({ min: 10_000, max: 400_000 }).map((n) => 'W'.repeat(n));
const deep = fc.integer({ min: 20, max: 3000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { d: value };
  return value;
});
/** `{"__proto__": {...}}` as JSON.parse builds it: an own property named __proto__, the usual pollution vector. */
const polluter = fc
  .tuple(fc.constantFrom(...pollutingKeys), fc.constantFrom('polluted', 'isAdmin', 'toString'))
  .map(([key, inner]) => JSON.parse(`{"${key}": {"${inner}": true, "prototype": {"${inner}": true}}}`) as unknown);

/** Hostile text that still fits a free-text field: it should be stored and shown back verbatim, or refused. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...sqlText, ...oddText, ...ftsText),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
  loneSurrogates,
);

/** Any one hostile value (JSON-safe: it survives HTTP and the CLI unchanged). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...sqlText, ...oddText),
  fc.string({ unit: 'binary', maxLength: 40 }),
  loneSurrogates,
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deep, weight: 1 },
  polluter,
  fc.integer(),
  fc.constantFrom(-0, 1e308, -1e308, 2 ** 53 + 1, 0.1, -1),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);

/** One schema-valid (not necessarily rule-valid) payload per command type, to graft hostile values into. */
const wellFormed: Record<CommandType, Record<string, unknown>> = {
  RegisterDepot: { depotId: 'fz-depot', name: 'Fuzz Depot', region: 'north' },
  RegisterDriver: { driverId: 'fz-driver', name: 'Fuzz Driver', homeDepotId: 'fz-depot' },
  RegisterParcel: {
    parcelId: 'fz-parcel',
    trackingCode: 'FZ000001',
    recipient: { name: 'Ada', street: '1 Mill St', city: 'Leeds', postcode: 'LS1 4AP' },
    originDepotId: 'fz-depot',
    destinationDepotId: 'fz-depot',
    weightKg: 2,
  },
  RecordScan: { parcelId: 'fz-parcel', depotId: 'fz-depot', kind: 'arrived' },
  PlanRoute: { routeId: 'fz-route', driverId: 'fz-driver', depotId: 'fz-depot', date: '2026-03-10', parcelIds: ['fz-parcel'] },
  StartRoute: { routeId: 'fz-route' },
  RecordDeliveryAttempt: { parcelId: 'fz-parcel', routeId: 'fz-route', outcome: 'delivered' },
  ReportException: { parcelId: 'fz-parcel', kind: 'damaged' },
  RecordWeather: { region: 'north', condition: 'rain' },
  ResolveConflict: { conflictId: '0190f5e2-0000-7000-8000-000000000001', outcome: 'confirmed' },
};

const wellFormedParams: Record<QueryName, Record<string, unknown>> = {
  'parcels.list': { limit: 50, search: 'mill' },
  'parcel.summary': { parcelId: 'fz-parcel' },
  'parcel.timeline': { parcelId: 'fz-parcel', limit: 20 },
  'parcel.eta': { parcelId: 'fz-parcel' },
  'region.deliveryTimes': { region: 'north' },
  'route.current': { driverId: 'fz-driver' },
  'depots.board': {},
  'events.list': { limit: 100 },
  'event.get': { position: 1 },
  'conflicts.list': { state: 'all', limit: 10 },
  'projections.status': {},
};

type Graft = { kind: 'set'; path: number; value: unknown } | { kind: 'delete'; path: number } | { kind: 'extra'; key: string; value: unknown };
const graft: fc.Arbitrary<Graft> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.nat() }),
  fc.record({ kind: fc.constant('extra' as const), key: fc.oneof(fc.constantFrom(...pollutingKeys), fc.string({ maxLength: 10 })), value: hostileValue }),
);

/** Applies one graft to a copy of `base`, at a path chosen among its keys (nested one level, too). */
function applyGraft(base: Record<string, unknown>, change: Graft): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const paths: string[][] = [];
  for (const [key, value] of Object.entries(copy)) {
    paths.push([key]);
    if (value && typeof value === 'object') for (const inner of Object.keys(value)) paths.push([key, inner]);
  }
  if (change.kind === 'extra') {
    Object.defineProperty(copy, change.key, { value: change.value, enumerable: true, configurable: true, writable: true });
    return copy;
  }
  if (paths.length === 0) return copy;
  const path = paths[change.path % paths.length]!;
  const parent = (path.length === 1 ? copy : copy[path[0]!]) as Record<string, unknown>;
  const key = path[path.length - 1]!;
  if (change.kind === 'delete') delete parent[key];
  else parent[key] = change.value;
  return copy;
}

const freeTextFields: Partial<Record<CommandType, string[]>> = {
  RegisterDepot: ['name'],
  RegisterDriver: ['name'],
  RegisterParcel: ['description'],
  RecordDeliveryAttempt: ['reason'],
  ReportException: ['note'],
};

/** A command request: a well-formed one with hostile grafts in its envelope or payload, or anything at all. */
export const hostileCommand: fc.Arbitrary<unknown> = fc.oneof(
  {
    // Well-formed but for hostile text in a free-text field (and a fresh id, so it may be accepted).
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...(Object.keys(freeTextFields) as CommandType[])), hostileText, fc.nat())
      .map(([type, text, n]) => {
        const payload: Record<string, unknown> = { ...wellFormed[type], [freeTextFields[type]![n % freeTextFields[type]!.length]!]: text };
        for (const key of ['depotId', 'driverId']) if (key in payload && type.startsWith('Register')) payload[key] = `fz-${n}`;
        return { type, payload };
      }),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...commandTypes), fc.array(graft, { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([type, grafts, inPayload]) => {
        let request: Record<string, unknown> = { type, payload: wellFormed[type] };
        for (const change of grafts) {
          request = inPayload ? { ...request, payload: applyGraft(request.payload as Record<string, unknown>, change) } : applyGraft(request, change);
        }
        return request;
      }),
  },
  { weight: 1, arbitrary: hostileValue },
  { weight: 1, arbitrary: fc.record({ type: hostileValue, payload: hostileValue }) },
);

/** A query call: a real name with hostile params, a hostile name, or hostile options. */
export const hostileQuery: fc.Arbitrary<{ name: unknown; params: unknown; options: unknown }> = fc.oneof(
  {
    // Full-text and filter fields fed search syntax, SQL and odd Unicode.
    weight: 2,
    arbitrary: fc.oneof(
      fc.tuple(fc.constant('parcels.list'), fc.constantFrom('search', 'depotId'), hostileText),
      fc.tuple(fc.constant('events.list'), fc.constantFrom('search', 'streamId', 'type', 'actor', 'correlationId'), hostileText),
    ).map(([name, field, text]) => ({ name, params: { [field]: text }, options: undefined })),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...queryNames), fc.array(graft, { minLength: 1, maxLength: 3 }))
      .map(([name, grafts]) => ({ name, params: grafts.reduce((params, change) => applyGraft(params, change), wellFormedParams[name]), options: undefined })),
  },
  { weight: 1, arbitrary: fc.record({ name: fc.oneof(hostileValue, polluter), params: hostileValue, options: fc.constant(undefined) }) },
  { weight: 1, arbitrary: fc.record({ name: fc.constantFrom(...queryNames), params: fc.constant({}), options: hostileValue }) },
);

const domainCodes = new Set(['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'RULE']);

/** What is wrong with a command answer (empty when it is a valid result or a typed rejection that appended nothing). */
export function commandAnswerProblems(answer: unknown, headBefore: number, headAfter: number): string[] {
  const problems: string[] = [];
  const body = answer as { ok?: unknown; events?: unknown[]; error?: { code?: unknown; message?: unknown } };
  if (body?.ok === true) {
    if (headAfter !== headBefore + (body.events?.length ?? -1)) problems.push(`accepted, but the head moved ${headBefore} → ${headAfter}`);
  } else if (body?.ok === false) {
    if (!domainCodes.has(String(body.error?.code))) problems.push(`rejected with ${String(body.error?.code)}`);
    if (typeof body.error?.message !== 'string' || body.error.message === '') problems.push('rejected without a message');
    if (headAfter !== headBefore) problems.push(`rejected, yet the head moved ${headBefore} → ${headAfter}`);
  } else problems.push(`not an answer: ${JSON.stringify(answer)?.slice(0, 200)}`);
  return problems;
}

/** What is wrong with a query answer: it must be a typed VALIDATION error or data within its row cap. */
export function queryAnswerProblems(answer: unknown): string[] {
  const body = answer as { ok?: unknown; data?: unknown; error?: { code?: unknown } };
  if (body?.ok === false) return body.error?.code === 'VALIDATION' ? [] : [`query failed with ${String(body.error?.code)}`];
  if (body?.ok !== true) return [`not an answer: ${JSON.stringify(answer)?.slice(0, 200)}`];
  const rows = (body.data as { rows?: unknown[] } | null)?.rows ?? (Array.isArray(body.data) ? body.data : []);
  return rows.length > 1000 ? [`${rows.length} rows, over the cap of 1000`] : [];
}

export const isTypedCode = (code: unknown) => (errorCodes as readonly unknown[]).includes(code);

/** Object.prototype's own keys, to compare before and after a run. */
export const prototypeKeys = () => Reflect.ownKeys(Object.prototype).map(String).sort();

/** True if something was written onto Object.prototype through a polluting key. */
export function prototypePolluted(): boolean {
  const probe = {} as Record<string, unknown>;
  return ['polluted', 'isAdmin'].some((key) => key in probe) || Object.getPrototypeOf(probe) !== Object.prototype;
}
