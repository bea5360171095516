import type Database from 'better-sqlite3';
import type { ParcelStatus } from '../contract/index.ts';
import { summaryEtaHistory, summaryRegionWeather } from '../projections/parcelSummary/tables.ts';
import { selectList } from '../readmodel/tableSql.ts';
import { estimateEta, type DurationStats, type EtaCondition, type EtaEstimate, type EtaInput } from '../projections/etaModel.ts';

/** What the estimate needs of a parcel: parcel_summary's row. */
export interface EtaParcel {
  status: ParcelStatus;
  registeredAt: string;
  deliveredAt: string | null;
  /** The destination depot's region (parcel_summary.destination_region). */
  region: string | null;
}

interface RegionHistory {
  condition: EtaCondition;
  byCondition: Map<string, DurationStats>;
  all: DurationStats | null;
}

/**
 * The delivery estimate as of now, the one every query answers with: parcel_summary keeps each
 * region's weather and delivery durations beside its rows, so the estimate comes from the same file
 * (and the same freshness) as the parcel itself. The few region rows are read again only when the
 * file has changed since (PRAGMA data_version), once per answer: call the result at the start of a
 * query, and estimate every row of it with what it returns (one history for a whole page).
 */
export type EtaEstimator = (parcel: EtaParcel) => { input: EtaInput; estimate: EtaEstimate };

export function prepareEtaNow(db: Database.Database): () => EtaEstimator {
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const weather = db.prepare(`SELECT ${selectList(summaryRegionWeather)} FROM _region_weather`);
  const durations = db.prepare(`SELECT ${selectList(summaryEtaHistory)} FROM _eta_history ORDER BY region, condition`);
  let loadedAt: unknown = null;
  let regions = new Map<string, RegionHistory>();

  const load = () => {
    const version = dataVersion.get();
    if (version === loadedAt) return;
    loadedAt = version;
    regions = new Map();
    const region = (name: string) => {
      let history = regions.get(name);
      if (!history) regions.set(name, (history = { condition: 'unknown', byCondition: new Map(), all: null }));
      return history;
    };
    for (const w of weather.all() as { region: string; condition: EtaCondition }[]) region(w.region).condition = w.condition;
    // Summed in condition order, as the projection's tests expect of any reload.
    for (const d of durations.all() as ({ region: string; condition: string } & DurationStats)[]) {
      const history = region(d.region);
      history.byCondition.set(d.condition, { deliveries: d.deliveries, totalHours: d.totalHours });
      history.all = { deliveries: (history.all?.deliveries ?? 0) + d.deliveries, totalHours: (history.all?.totalHours ?? 0) + d.totalHours };
    }
  };

  return () => {
    load();
    return (parcel) => {
    const history = parcel.region === null ? undefined : regions.get(parcel.region);
    const condition = history?.condition ?? 'unknown';
    const input: EtaInput = {
      status: parcel.status,
      registeredAt: parcel.registeredAt,
      deliveredAt: parcel.deliveredAt,
      region: parcel.region,
      condition,
      inCondition: history?.byCondition.get(condition) ?? null,
      inRegion: history?.all ?? null,
    };
    return { input, estimate: estimateEta(input) };
    };
  };
}
