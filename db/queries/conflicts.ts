import type { ConflictRow } from '../contract/index.ts';
import { defineQuery } from './defineQuery.ts';

const MAX_ROWS = 200;

interface ConflictRecord {
  conflictId: string;
  kind: ConflictRow['kind'];
  parcelId: string;
  summary: string;
  position: number;
  state: ConflictRow['state'];
  outcome: NonNullable<ConflictRow['resolution']>['outcome'] | null;
  note: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  f: string;
  s: string;
}

const SIDE = (alias: string) =>
  `json_object('eventId', ${alias}.event_id, 'position', ${alias}.position, 'type', ${alias}.type, 'deviceId', ${alias}.device_id, 'actor', ${alias}.actor, 'recordedAt', ${alias}.recorded_at)`;

/** Conflicts newest first (by the breaking event), keyset-paged by its position; with how many are open. */
export const conflictsList = defineQuery({
  name: 'conflicts.list',
  readModel: 'conflicts',
  prepare({ conflicts: db }) {
    const select = (where: string) =>
      db.prepare(
        `SELECT c.conflict_id AS conflictId, c.kind, c.parcel_id AS parcelId, c.summary, c.position, c.state, c.outcome, c.note,
                c.resolved_by AS resolvedBy, c.resolved_at AS resolvedAt, ${SIDE('f')} AS f, ${SIDE('s')} AS s
         FROM conflicts c JOIN conflict_sides f ON f.position = c.first_position JOIN conflict_sides s ON s.position = c.position
         WHERE ${where} c.position < ? ORDER BY c.position DESC LIMIT ?`,
      );
    const byState = select('c.state = ? AND');
    const every = select('');
    const open = db.prepare("SELECT count(*) FROM conflicts WHERE state = 'open'").pluck();
    return (params) => {
      const limit = Math.min(params.limit, MAX_ROWS);
      const before = params.before ?? Number.MAX_SAFE_INTEGER;
      const records = (params.state === 'all' ? every.all(before, limit + 1) : byState.all(params.state, before, limit + 1)) as ConflictRecord[];
      const rows: ConflictRow[] = records.slice(0, limit).map((r) => ({
        conflictId: r.conflictId,
        kind: r.kind,
        parcelId: r.parcelId,
        summary: r.summary,
        first: JSON.parse(r.f) as ConflictRow['first'],
        second: JSON.parse(r.s) as ConflictRow['second'],
        position: r.position,
        state: r.state,
        resolution: r.outcome === null ? null : { outcome: r.outcome, note: r.note, actor: r.resolvedBy, at: r.resolvedAt ?? '' },
      }));
      return { rows, next: records.length > limit ? rows[rows.length - 1]!.position : null, open: open.get() as number };
    };
  },
});
