import type { RegionDeliveryTimes, WeatherCondition } from '../contract/index.ts';
import { deliveryDurations } from '../projections/etaStats/tables.ts';
import { columnName, selectList } from '../readmodel/tableSql.ts';
import { defineQuery } from './defineQuery.ts';

/** A few rows per region: one per weather condition deliveries happened in. */
const MAX_CONDITIONS = 20;

/** How weather has delayed deliveries to a region before: durations by the weather at delivery, slowest first. */
export const regionDeliveryTimes = defineQuery({
  name: 'region.deliveryTimes',
  readModel: 'eta_stats',
  prepare({ eta_stats: db }) {
    const weather = db.prepare('SELECT condition, since FROM region_weather WHERE region = ?');
    const durations = db.prepare(
      `SELECT ${selectList(deliveryDurations, { only: ['condition', 'deliveries', 'minHours', 'maxHours'] })},
         ${columnName(deliveryDurations, 'totalHours')} / deliveries AS averageHours
       FROM delivery_durations WHERE region = ? ORDER BY averageHours DESC, condition LIMIT ${MAX_CONDITIONS}`,
    );
    return ({ region }) => {
      const now = weather.get(region) as { condition: WeatherCondition; since: string } | undefined;
      return {
        region,
        condition: now?.condition ?? null,
        since: now?.since ?? null,
        byCondition: durations.all(region) as RegionDeliveryTimes['byCondition'],
      };
    };
  },
});
