import { parcelStatuses, type DepotBoardRow, type ParcelStatus } from '../contract/index.ts';
import { defineQuery } from './defineQuery.ts';

const MAX_ROWS = 1000;

interface CountRecord {
  depotId: string;
  name: string;
  region: string;
  status: ParcelStatus | null;
  n: number | null;
}

const zeroCounts = () => Object.fromEntries(parcelStatuses.map((status) => [status, 0])) as Record<ParcelStatus, number>;

/** Every depot by name with how many parcels bound for it are in each status. */
export const depotsBoard = defineQuery({
  name: 'depots.board',
  readModel: 'depot_board',
  prepare({ depot_board: db }) {
    const board = db.prepare(
      `SELECT d.depot_id AS depotId, d.name, d.region, c.status, c.n
       FROM (SELECT depot_id, name, region FROM depots ORDER BY name, depot_id LIMIT ${MAX_ROWS}) d
       LEFT JOIN depot_counts c ON c.depot_id = d.depot_id
       ORDER BY d.name, d.depot_id`,
    );
    return () => {
      const rows = new Map<string, DepotBoardRow>();
      for (const record of board.all() as CountRecord[]) {
        let row = rows.get(record.depotId);
        if (!row) {
          row = { depotId: record.depotId, name: record.name, region: record.region, counts: zeroCounts(), total: 0 };
          rows.set(record.depotId, row);
        }
        if (record.status !== null && record.n !== null) {
          row.counts[record.status] += record.n;
          row.total += record.n;
        }
      }
      return [...rows.values()];
    };
  },
});
