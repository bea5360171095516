import type { EtaCondition } from '../etaModel.ts';

/**
 * Depot regions and each region's latest weather, held in memory: a few rows, loaded from the file
 * on first use after a reset and written through on every change. A delivery is timed in the
 * weather of its region at that point of the log.
 */
export class RegionCache {
  private loaded = false;
  private readonly depotRegion = new Map<string, string>();
  private readonly weather = new Map<string, EtaCondition>();

  constructor(private readonly load: () => { depots: { depotId: string; region: string }[]; weather: { region: string; condition: EtaCondition }[] }) {}

  reset(): void {
    this.loaded = false;
    this.depotRegion.clear();
    this.weather.clear();
  }

  private ensure(): void {
    if (this.loaded) return;
    const rows = this.load();
    for (const d of rows.depots) this.depotRegion.set(d.depotId, d.region);
    for (const w of rows.weather) this.weather.set(w.region, w.condition);
    this.loaded = true;
  }

  regionOf(depotId: string): string | null {
    this.ensure();
    return this.depotRegion.get(depotId) ?? null;
  }

  setDepot(depotId: string, region: string): void {
    this.ensure();
    this.depotRegion.set(depotId, region);
  }

  weatherIn(region: string): EtaCondition {
    this.ensure();
    return this.weather.get(region) ?? 'unknown';
  }

  setWeather(region: string, condition: EtaCondition): void {
    this.ensure();
    this.weather.set(region, condition);
  }
}
