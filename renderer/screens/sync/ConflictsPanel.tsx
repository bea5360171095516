import { useId, useState } from 'react';
import type { QueryParams } from '../../../db/contract/index.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { countOf } from '../../lib/format.ts';
import { useQuery, type QueryState } from '../../lib/useQuery.ts';
import { ConflictItem, type DeviceNamer } from './ConflictItem.tsx';

/** Enough for any real backlog; more than this says so rather than paging. */
export const conflictPage = 100;
const resolvedParams: QueryParams<'conflicts.list'> = { state: 'resolved', limit: conflictPage };

function ConflictList({ answer, deviceName, onResolved, label }: { answer: QueryState<'conflicts.list'>; deviceName: DeviceNamer; onResolved: (position: number, said: string) => void; label: string }) {
  const rows = answer.data?.rows ?? [];
  return (
    <>
      <ul className="conflict-list" aria-label={label}>
        {rows.map((row) => (
          <ConflictItem key={row.conflictId} conflict={row} deviceName={deviceName} onResolved={onResolved} />
        ))}
      </ul>
      {answer.data && answer.data.next !== null ? <p className="muted small">Showing the newest {conflictPage}.</p> : null}
    </>
  );
}

/** Conflicts the shared order produced and a person has to settle: open ones first, resolved ones on request. */
export function ConflictsPanel({ open, deviceName }: { open: QueryState<'conflicts.list'>; deviceName: DeviceNamer }) {
  const [showResolved, setShowResolved] = useState(false);
  const resolved = useQuery('conflicts.list', showResolved ? resolvedParams : null, { followHeadMs: 2000 });
  const [said, setSaid] = useState<string | null>(null);
  const titleId = useId();
  const reloadOpen = open.reload;
  const reloadResolved = resolved.reload;
  // Read-your-writes: both lists wait until the conflicts read model has the resolution.
  const onResolved = (position: number, text: string) => {
    setSaid(text);
    void reloadOpen({ minPosition: position });
    if (showResolved) void reloadResolved({ minPosition: position });
  };
  const openCount = open.data?.open ?? 0;

  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card-title-row">
        <h2 className="card-title" id={titleId}>
          Conflicts waiting for a person
          {open.data ? <span className={`count-badge${openCount > 0 ? ' count-badge-warn' : ''}`}>{openCount}</span> : null}
        </h2>
        <label className="toggle">
          <input type="checkbox" checked={showResolved} onChange={(event) => setShowResolved(event.target.checked)} />
          Show resolved ones
        </label>
      </div>
      {said ? (
        <div className="form-done conflict-said" role="status">
          ✓ {said}
        </div>
      ) : null}
      {open.error && !open.data ? <ErrorState error={open.error} onRetry={() => void open.reload()} /> : null}
      {!open.data && !open.error ? <Loading label="Reading conflicts…" /> : null}
      {open.data && open.data.rows.length === 0 ? (
        <Empty title="Nothing waiting">
          When laptops record offline, the shared order can break a rule: a parcel registered twice, one tracking code on two parcels, a parcel delivered and reported lost. Each such
          conflict shows up here until someone settles it.
        </Empty>
      ) : null}
      {open.data && open.data.rows.length > 0 ? (
        <>
          <p className="muted small conflict-intro">
            {countOf(openCount, 'conflict')} to settle. The screens already show what stands; check it against what happened, record a correction if it is wrong, then close the conflict.
          </p>
          <ConflictList answer={open} deviceName={deviceName} onResolved={onResolved} label="Open conflicts" />
        </>
      ) : null}
      {showResolved ? (
        <div className="resolved-conflicts">
          <h3 className="section-title">Resolved</h3>
          {resolved.error && !resolved.data ? <ErrorState error={resolved.error} onRetry={() => void resolved.reload()} /> : null}
          {!resolved.data && !resolved.error ? <Loading /> : null}
          {resolved.data && resolved.data.rows.length === 0 ? <p className="muted">No conflict has been resolved yet.</p> : null}
          {resolved.data && resolved.data.rows.length > 0 ? <ConflictList answer={resolved} deviceName={deviceName} onResolved={onResolved} label="Resolved conflicts" /> : null}
        </div>
      ) : null}
    </section>
  );
}
