import { useEffect, useState } from 'react';
import { useConsole } from '../../app/consoleContext.ts';
import { Empty } from '../../components/States.tsx';
import { newEntityId } from '../../lib/commandMeta.ts';
import { today } from '../../lib/format.ts';
import { useCommand } from '../../lib/useCommand.ts';
import { useQuery } from '../../lib/useQuery.ts';

/** Plan a route from the parcels waiting at this depot; the stops follow the order they were ticked. */
export function PlanRouteForm({ driverId, depotId }: { driverId: string; depotId: string }) {
  const { live } = useConsole();
  const waiting = useQuery('parcels.list', { status: 'at_depot', depotId, limit: 50 });
  const [picked, setPicked] = useState<string[]>([]);
  // The list filters by destination depot; a route may only take parcels that are physically here.
  const rows = (waiting.data?.rows ?? []).filter((row) => row.currentDepotId === depotId);
  const fields = ['parcelIds', ...rows.map((_, index) => `parcelIds.${index}`)];
  const command = useCommand(fields);
  const { reload } = waiting;

  useEffect(() => live.store.subscribe((now, before) => void (now.lastWrite !== before.lastWrite && reload())), [live, reload]);

  const toggle = (parcelId: string) => setPicked((list) => (list.includes(parcelId) ? list.filter((id) => id !== parcelId) : [...list, parcelId]));
  const plan = async () => {
    const ok = await command.send('PlanRoute', { routeId: newEntityId('R'), driverId, depotId, date: today(), parcelIds: picked }, () => `Planned a route with ${picked.length} stops.`);
    if (ok) setPicked([]);
  };
  const errorFor = (parcelId: string) => command.fieldErrors[`parcelIds.${picked.indexOf(parcelId)}`];

  return (
    <section className="card" aria-label="Plan a route">
      <div className="card-title-row">
        <h2 className="card-title">Plan a route</h2>
        <span className="muted small">{waiting.data ? `${rows.length} waiting here` : ''}</span>
      </div>
      {rows.length === 0 && waiting.data ? <Empty title="No parcels waiting here">Scan parcels as arrived at this depot to plan them onto a route.</Empty> : null}
      <ul className="pick-list">
        {rows.map((row) => (
          <li key={row.parcelId}>
            <label>
              <input type="checkbox" checked={picked.includes(row.parcelId)} onChange={() => toggle(row.parcelId)} aria-label={`Add ${row.trackingCode} to the route`} />
              <span className="mono">{row.trackingCode}</span>
              <span>{row.recipientName}</span>
              <span className="muted small">{row.city}</span>
              {picked.includes(row.parcelId) ? <span className="pick-order">stop {picked.indexOf(row.parcelId) + 1}</span> : null}
            </label>
            {errorFor(row.parcelId) ? <div className="field-error" role="alert">{errorFor(row.parcelId)}</div> : null}
          </li>
        ))}
      </ul>
      {rows.length > 0 ? (
        <div className="form-footer">
          <button type="button" className="button button-primary" disabled={picked.length === 0 || command.busy} onClick={() => void plan()}>
            Plan route{picked.length > 0 ? ` (${picked.length})` : ''}
          </button>
          {command.fieldErrors.parcelIds || command.formError ? <div className="form-error" role="alert">{command.fieldErrors.parcelIds ?? command.formError}</div> : null}
        </div>
      ) : null}
      {command.done ? <div className="form-done" role="status">✓ {command.done}</div> : null}
    </section>
  );
}
