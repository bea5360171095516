import { useEffect, useState } from 'react';
import { useConsole } from '../../app/consoleContext.ts';
import { StateChip } from '../../components/StatusChip.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import { useCommand } from '../../lib/useCommand.ts';
import { useQuery } from '../../lib/useQuery.ts';
import { PlanRouteForm } from './PlanRouteForm.tsx';
import { RouteStops } from './RouteStops.tsx';

const stateTone = { planned: 'info', started: 'warn', completed: 'ok' } as const;

/** Today's route for the picked driver: start it, close its stops, or plan the next one. */
export function RoutePanel({ driverId, depotId }: { driverId: string; depotId: string }) {
  const { live } = useConsole();
  const route = useQuery('route.current', { driverId });
  const start = useCommand(['routeId']);
  const [planAnother, setPlanAnother] = useState(false);
  const { reload } = route;

  // Every accepted command from this console may change the route: read it again, waiting for that write.
  useEffect(() => live.store.subscribe((now, before) => void (now.lastWrite !== before.lastWrite && reload())), [live, reload]);

  if (route.error && !route.data) return <ErrorState error={route.error} onRetry={() => void reload()} />;
  if (route.data === undefined) return <section className="card"><Loading /></section>;
  const board = route.data;
  const routeOpen = board !== null && board.state !== 'completed';
  return (
    <div className="route-column">
      {board ? (
        <section className="card" aria-label="Today's route">
          <div className="card-title-row">
            <h2 className="card-title">
              Route <span className="mono">{board.routeId}</span>
            </h2>
            <StateChip state={board.state} tone={stateTone[board.state]} />
          </div>
          <div className="muted small route-meta">
            {board.driverName ?? board.driverId} · depot {board.depotId} · {board.date}
            {board.startedAt ? ` · started ${formatTime(board.startedAt)}` : ''}
          </div>
          {board.state === 'planned' ? (
            <div className="route-start">
              <button type="button" className="button button-primary" disabled={start.busy} onClick={() => void start.send('StartRoute', { routeId: board.routeId }, () => 'Route started.')}>
                Start route
              </button>
              {start.fieldErrors.routeId || start.formError ? <span className="form-error" role="alert">{start.fieldErrors.routeId ?? start.formError}</span> : null}
            </div>
          ) : null}
          <RouteStops board={board} />
        </section>
      ) : null}
      {!routeOpen || planAnother ? (
        <PlanRouteForm driverId={driverId} depotId={depotId} />
      ) : (
        <button type="button" className="button button-ghost plan-another" onClick={() => setPlanAnother(true)}>
          Plan another route for this driver
        </button>
      )}
    </div>
  );
}
