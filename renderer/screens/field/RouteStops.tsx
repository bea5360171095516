import { useState } from 'react';
import type { RouteBoard, RouteStopRow } from '../../../db/contract/index.ts';
import { links } from '../../app/route.ts';
import { StateChip } from '../../components/StatusChip.tsx';
import { useCommand } from '../../lib/useCommand.ts';

const stopTone = { pending: 'muted', delivered: 'ok', failed: 'danger' } as const;

function StopActions({ routeId, stop }: { routeId: string; stop: RouteStopRow }) {
  const command = useCommand(['reason', 'parcelId', 'routeId']);
  const [failing, setFailing] = useState(false);
  const [reason, setReason] = useState('');
  const attempt = (outcome: 'delivered' | 'failed') => {
    const payload = { parcelId: stop.parcelId, routeId, outcome, ...(outcome === 'failed' && reason.trim() ? { reason } : {}) };
    void command.send('RecordDeliveryAttempt', payload, () => undefined);
  };
  const error = command.fieldErrors.reason ?? command.fieldErrors.parcelId ?? command.fieldErrors.routeId ?? command.formError;
  return (
    <div className="stop-actions">
      {failing ? (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            attempt('failed');
          }}
        >
          <input className="input input-small" aria-label={`Why stop ${stop.stop} failed`} placeholder="Reason" value={reason} onChange={(event) => setReason(event.target.value)} autoFocus />
          <button type="submit" className="button button-danger button-small" disabled={command.busy}>
            Record failure
          </button>
          <button type="button" className="button button-ghost button-small" onClick={() => setFailing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <button type="button" className="button button-primary button-small" disabled={command.busy} onClick={() => attempt('delivered')}>
            Delivered
          </button>
          <button type="button" className="button button-small" onClick={() => setFailing(true)}>
            Failed…
          </button>
        </>
      )}
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

export function RouteStops({ board }: { board: RouteBoard }) {
  return (
    <ol className="stops">
      {board.stops.map((stop) => (
        <li key={stop.parcelId} className={`stop stop-${stop.state}`} data-testid={`stop-${stop.trackingCode ?? stop.parcelId}`}>
          <span className="stop-number">{stop.stop}</span>
          <div className="stop-body">
            <div>
              <a className="mono" href={links.parcel(stop.parcelId)}>
                {stop.trackingCode ?? stop.parcelId}
              </a>{' '}
              <span className="strong">{stop.recipientName ?? ''}</span>
            </div>
            <div className="muted small">
              {[stop.street, stop.city].filter(Boolean).join(', ')}
              {stop.reason ? ` · ${stop.reason}` : ''}
            </div>
          </div>
          {board.state === 'started' && stop.state === 'pending' ? <StopActions routeId={board.routeId} stop={stop} /> : <StateChip state={stop.state} tone={stopTone[stop.state]} />}
        </li>
      ))}
    </ol>
  );
}
