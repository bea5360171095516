import { useMemo, useState } from 'react';
import type { ProjectionStatus } from '../../../db/contract/index.ts';
import { useConsole, useSlice } from '../../app/consoleContext.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useQuery } from '../../lib/useQuery.ts';
import { ProjectionRow } from './ProjectionRow.tsx';
import { VerifyPanel } from './VerifyPanel.tsx';

/** Whichever arrived last wins: a push message after the answer, or the answer after the push. */
function merge(answer: ProjectionStatus, answeredAt: number, pushed: ProjectionStatus | undefined, pushedAt: number | undefined): ProjectionStatus {
  return pushed && pushedAt !== undefined && pushedAt > answeredAt ? { ...answer, ...pushed } : answer;
}

/** Every read model's health, with rebuild, dead-letter and verify actions. */
export function ProjectionsScreen() {
  const { api, live } = useConsole();
  const status = useQuery('projections.status', {}, { followHeadMs: 1000 });
  const pushed = useSlice(live.store, (state) => state.projections);
  const pushedAt = useSlice(live.store, (state) => state.projectionsAt);
  // When this answer arrived: a new answer object means a fresh read.
  const answeredAt = useMemo(() => (status.data ? Date.now() : 0), [status.data]);
  const rebuilds = useSlice(live.store, (state) => state.rebuilds);
  const [error, setError] = useState<string | null>(null);

  const rebuild = async (projection?: ProjectionStatus['name']) => {
    setError(null);
    const result = await api.call('rebuild', projection ? { projection } : {});
    if (!result.ok) setError(result.error.message);
    void status.reload();
  };

  return (
    <div className="screen">
      <PageHeader title="Projections" subtitle="Read models built from the log, each with its own checkpoint" freshness={status.freshness} onRefresh={() => void status.reload()}>
        <button type="button" className="button" onClick={() => void rebuild()}>
          Rebuild all
        </button>
      </PageHeader>
      {error ? <div className="banner banner-error" role="alert">{error}</div> : null}
      {status.error && !status.data ? <ErrorState error={status.error} onRetry={() => void status.reload()} /> : null}
      {!status.data && !status.error ? <Loading /> : null}
      {status.data ? (
        <section className="card card-flush">
          <table className="table projections-table">
            <thead>
              <tr>
                <th>Read model</th>
                <th>State</th>
                <th className="num">Version</th>
                <th className="num">Checkpoint</th>
                <th className="num">Lag</th>
                <th className="num">Events/s</th>
                <th>Dead letters</th>
                <th><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {status.data.projections.map((row) => (
                <ProjectionRow key={row.name} status={merge(row, answeredAt, pushed[row.name], pushedAt[row.name])} rebuild={rebuilds[row.name] ?? row.rebuild} onRebuild={() => void rebuild(row.name)} onChanged={() => void status.reload()} />
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <VerifyPanel />
    </div>
  );
}
