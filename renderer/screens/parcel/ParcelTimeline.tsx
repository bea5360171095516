import { useEffect, useState } from 'react';
import type { TimelineRow } from '../../../db/contract/index.ts';
import { useConsole } from '../../app/consoleContext.ts';
import { links } from '../../app/route.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';

const pageSize = 100;

/** Everything that happened to the parcel, oldest first, read a page at a time. */
export function ParcelTimeline({ parcelId, lastPosition }: { parcelId: string; lastPosition: number }) {
  const { api } = useConsole();
  const [rows, setRows] = useState<TimelineRow[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    void api.call('parcel.timeline', { params: { parcelId, limit: pageSize }, options: { minPosition: lastPosition } }).then((answer) => {
      if (!current) return;
      if (!answer.ok) return setError(answer.error.message);
      setRows(answer.data.rows);
      setNext(answer.data.next);
      setError(null);
    });
    return () => {
      current = false;
    };
  }, [api, parcelId, lastPosition]);

  const more = async () => {
    if (next === null) return;
    const answer = await api.call('parcel.timeline', { params: { parcelId, after: next, limit: pageSize } });
    if (!answer.ok) return setError(answer.error.message);
    setRows((previous) => [...(previous ?? []), ...answer.data.rows]);
    setNext(answer.data.next);
  };

  return (
    <section className="card">
      <h2 className="card-title">Timeline</h2>
      {error ? <ErrorState error={error} /> : null}
      {rows === null && !error ? <Loading /> : null}
      <ol className="timeline" aria-label="Timeline">
        {(rows ?? []).map((row) => (
          <li key={row.position} className={`timeline-item type-${row.type}`}>
            <span className="timeline-dot" aria-hidden="true" />
            <div className="timeline-body">
              <div className="timeline-head">
                <span className="strong">{row.summary}</span>
                <a className="set-by" href={links.event(row.position)}>#{row.position}</a>
              </div>
              <div className="muted small">
                {formatTime(row.at)} · {row.type}
                {row.depotId ? ` · depot ${row.depotId}` : ''}
                {row.routeId ? ` · route ${row.routeId}` : ''}
                {row.actor ? ` · by ${row.actor}` : ''}
              </div>
            </div>
          </li>
        ))}
      </ol>
      {next !== null ? <button type="button" className="button" onClick={() => void more()}>Show more</button> : null}
    </section>
  );
}
