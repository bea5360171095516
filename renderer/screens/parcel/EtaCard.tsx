import { useEffect, useId } from 'react';
import { ErrorState, Loading } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import { useQuery } from '../../lib/useQuery.ts';
import { RegionDeliveryTimes } from './RegionDeliveryTimes.tsx';

const methodLabels = { delivered: 'Delivered', history: 'From delivery history', default: 'Default estimate' } as const;

/** When the parcel should arrive (the same estimate the list and the summary show), and on what it rests. */
export function EtaCard({ parcelId, lastPosition }: { parcelId: string; lastPosition: number }) {
  const eta = useQuery('parcel.eta', { parcelId });
  const { reload } = eta;
  const titleId = useId();
  useEffect(() => void reload({ minPosition: lastPosition }), [reload, lastPosition]);
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 className="card-title" id={titleId}>Estimated delivery</h2>
      {eta.error ? <ErrorState error={eta.error} /> : null}
      {eta.data === undefined && !eta.error ? <Loading /> : null}
      {eta.data === null ? <p className="muted">No estimate for this parcel.</p> : null}
      {eta.data ? (
        <>
          <div className="eta-value">{eta.data.eta ? formatTime(eta.data.eta) : 'No estimate'}</div>
          <div className="eta-method">{methodLabels[eta.data.basis.method]}</div>
          <p className="eta-explanation">{eta.data.basis.explanation}</p>
          <dl className="facts facts-compact">
            <div className="fact"><dt>Region</dt><dd>{eta.data.basis.region ?? '—'}</dd></div>
            <div className="fact"><dt>Weather</dt><dd>{eta.data.basis.condition}</dd></div>
            {eta.data.basis.method === 'delivered' ? null : (
              // What the estimate rests on; a delivered parcel's time is its own, so these would only mislead.
              <>
                <div className="fact"><dt>Past deliveries</dt><dd>{eta.data.basis.samples}</dd></div>
                <div className="fact"><dt>Average</dt><dd>{eta.data.basis.averageHours === null ? '—' : `${eta.data.basis.averageHours.toFixed(1)} h`}</dd></div>
              </>
            )}
          </dl>
          {eta.data.basis.region ? <RegionDeliveryTimes region={eta.data.basis.region} /> : null}
        </>
      ) : null}
    </section>
  );
}
