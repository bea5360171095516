// How Waybill estimates a delivery time. Pure: parcel_summary uses it when a parcel's row
// changes, and the parcel.eta query uses it with the current eta_stats to explain an answer.
import type { ParcelStatus, WeatherCondition } from '../contract/index.ts';

export type EtaCondition = WeatherCondition | 'unknown';

/** Fewer past deliveries than this are too few to average. */
export const MIN_SAMPLES = 5;
export const DEFAULT_HOURS = 48;
const HOUR_MS = 3_600_000;

export interface DurationStats {
  deliveries: number;
  totalHours: number;
}

export interface EtaInput {
  status: ParcelStatus;
  registeredAt: string;
  deliveredAt: string | null;
  region: string | null;
  /** The destination region's current weather. */
  condition: EtaCondition;
  /** Past deliveries to the region in this weather. */
  inCondition: DurationStats | null;
  /** Past deliveries to the region in any weather. */
  inRegion: DurationStats | null;
}

export interface EtaEstimate {
  eta: string | null;
  method: 'delivered' | 'history' | 'default';
  /** Which history the average came from, when it came from one. */
  scope: 'condition' | 'region' | null;
  samples: number;
  averageHours: number | null;
}

export function hoursBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / HOUR_MS;
}

function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + Math.round(hours * HOUR_MS)).toISOString();
}

export function estimateEta(input: EtaInput): EtaEstimate {
  if (input.deliveredAt !== null) {
    return { eta: input.deliveredAt, method: 'delivered', scope: null, samples: 0, averageHours: null };
  }
  if (input.status === 'lost') return { eta: null, method: 'default', scope: null, samples: 0, averageHours: null };
  for (const [scope, stats] of [
    ['condition', input.inCondition],
    ['region', input.inRegion],
  ] as const) {
    if (stats !== null && stats.deliveries >= MIN_SAMPLES) {
      const averageHours = stats.totalHours / stats.deliveries;
      return { eta: addHours(input.registeredAt, averageHours), method: 'history', scope, samples: stats.deliveries, averageHours };
    }
  }
  return {
    eta: addHours(input.registeredAt, DEFAULT_HOURS),
    method: 'default',
    scope: null,
    samples: input.inRegion?.deliveries ?? 0,
    averageHours: null,
  };
}

const hours = (h: number) => `${Math.round(h * 10) / 10} h`;
/** How long something took, in the unit a person would say it in. */
const took = (h: number) => (h < 1 / 60 ? 'under a minute' : h < 1 ? `${Math.round(h * 60)} min` : hours(h));
const deliveries = (n: number) => `${n} ${n === 1 ? 'delivery' : 'deliveries'}`;
const WEATHER: Record<EtaCondition, string> = {
  clear: 'in clear weather',
  rain: 'in rain',
  snow: 'in snow',
  storm: 'in storms',
  heat: 'in heat',
  unknown: 'with no weather recorded',
};

/** The basis of an estimate in words a support person can repeat to a customer. */
export function explainEta(input: EtaInput, estimate: EtaEstimate): string {
  // The time itself is the answer's eta, shown in the reader's own zone; words say how long it took.
  if (estimate.method === 'delivered' && input.deliveredAt !== null) return `Delivered ${took(hoursBetween(input.registeredAt, input.deliveredAt))} after registration; no estimate needed.`;
  if (input.status === 'lost') return 'The parcel was reported lost, so there is no delivery estimate.';
  if (input.region === null) {
    return `The destination depot has no known region, so this assumes the default of ${DEFAULT_HOURS} h after registration.`;
  }
  const weather = `${input.region} ${WEATHER[input.condition]}`;
  const average = `took ${hours(estimate.averageHours ?? 0)} on average after registration`;
  if (estimate.method === 'history' && estimate.scope === 'condition') {
    return `Based on ${deliveries(estimate.samples)} to ${weather}, which ${average}.`;
  }
  if (estimate.method === 'history') {
    const few = input.inCondition?.deliveries ?? 0;
    return (
      `Only ${deliveries(few)} to ${weather} so far (${MIN_SAMPLES} needed), ` +
      `so this uses all ${deliveries(estimate.samples)} to ${input.region} in any weather, which ${average}.`
    );
  }
  return (
    `Only ${deliveries(estimate.samples)} to ${input.region} so far (${MIN_SAMPLES} needed), ` +
    `so this assumes the default of ${DEFAULT_HOURS} h after registration.`
  );
}
