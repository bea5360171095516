import { PageHeader } from '../../app/PageHeader.tsx';
import { links } from '../../app/route.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useQuery } from '../../lib/useQuery.ts';
import { EventDetail } from './EventDetail.tsx';

export function EventDetailScreen({ position }: { position: number }) {
  const valid = Number.isInteger(position) && position >= 1;
  const answer = useQuery('event.get', valid ? { position } : null);
  return (
    <div className="screen">
      <PageHeader title={`Event #${valid ? position : '?'}`} freshness={answer.freshness}>
        {valid && position > 1 ? <a className="button" href={links.event(position - 1)}>← #{position - 1}</a> : null}
        {valid ? <a className="button" href={links.event(position + 1)}>#{position + 1} →</a> : null}
      </PageHeader>
      {!valid ? <Empty title="That is not an event position">Positions are whole numbers from 1.</Empty> : null}
      {answer.error ? <ErrorState error={answer.error} onRetry={() => void answer.reload()} /> : null}
      {valid && answer.data === undefined && !answer.error ? <Loading /> : null}
      {answer.data === null ? <Empty title={`No event #${position} yet`}>The log may be shorter, or the event history is still catching up.</Empty> : null}
      {answer.data ? <section className="card"><EventDetail event={answer.data} /></section> : null}
    </div>
  );
}
