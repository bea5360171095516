import type { EventRow } from '../../../db/contract/index.ts';
import { links } from '../../app/route.ts';
import { JsonView } from '../../components/JsonView.tsx';
import { formatTime } from '../../lib/format.ts';

/** One event's envelope, payload and metadata, with the way to its stream, its correlation and its parcel. */
export function EventDetail({ event }: { event: EventRow }) {
  const parcelId = event.streamId.startsWith('parcel-') ? event.streamId.slice('parcel-'.length) : null;
  return (
    <div className="event-detail" data-testid="event-detail">
      <div className="event-detail-head">
        <span className="event-type">{event.type}</span>
        <span className="muted">#{event.position}</span>
      </div>
      <dl className="facts facts-compact">
        <div className="fact"><dt>Stream</dt><dd><a href={links.stream(event.streamId)} className="mono">{event.streamId}</a> <span className="muted">v{event.version}</span></dd></div>
        <div className="fact">
          <dt>Correlation</dt>
          <dd>{event.correlationId ? <a href={links.correlation(event.correlationId)} className="mono">{event.correlationId}</a> : '—'}</dd>
        </div>
        <div className="fact"><dt>Recorded</dt><dd>{formatTime(event.recordedAt)}</dd></div>
        <div className="fact"><dt>Actor</dt><dd>{event.actor ?? '—'}{event.deviceId ? <span className="muted"> on {event.deviceId}</span> : null}</dd></div>
        <div className="fact"><dt>Schema</dt><dd>v{event.schemaVersion}</dd></div>
        {parcelId ? <div className="fact"><dt>Parcel</dt><dd><a href={links.parcel(parcelId)}>open parcel</a></dd></div> : null}
      </dl>
      <h3 className="section-title">Payload</h3>
      <JsonView value={event.payload} label="Payload" />
      <h3 className="section-title">Metadata</h3>
      <JsonView value={event.metadata} label="Metadata" />
    </div>
  );
}
