import { PageHeader } from '../../app/PageHeader.tsx';
import { useConsole, useSlice } from '../../app/consoleContext.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useQuery } from '../../lib/useQuery.ts';
import { DepotDriverPicker } from './DepotDriverPicker.tsx';
import { FieldForms } from './FieldForms.tsx';
import { RoutePanel } from './RoutePanel.tsx';

/** The operator's screen: pick a depot and driver, work today's route, record what happens to parcels. */
export function FieldScreen() {
  const { preferences } = useConsole();
  const depotId = useSlice(preferences, (state) => state.depotId);
  const driverId = useSlice(preferences, (state) => state.driverId);
  const depots = useQuery('depots.board', {}, { followHeadMs: 2000 });
  const depot = depots.data?.find((row) => row.depotId === depotId) ?? null;

  return (
    <div className="screen">
      <PageHeader title="Field work" subtitle={depot ? `${depot.name} · ${depot.region}` : 'Pick your depot to start'} freshness={depots.freshness} onRefresh={() => void depots.reload()}>
        {depots.data ? <DepotDriverPicker depots={depots.data} /> : null}
      </PageHeader>
      {depots.error ? <ErrorState error={depots.error} onRetry={() => void depots.reload()} /> : null}
      {depots.loading && !depots.data ? <Loading /> : null}
      {depots.data && depots.data.length === 0 ? <Empty title="No depots yet">Load sample data first: field work needs a depot and a driver.</Empty> : null}
      {depots.data && depots.data.length > 0 && !depot ? <Empty title="Which depot are you at?">Pick a depot above; your choice is remembered on this computer.</Empty> : null}
      {depot && depots.data ? (
        <div className="field-layout">
          <FieldForms depot={depot} depots={depots.data} />
          {driverId ? <RoutePanel driverId={driverId} depotId={depot.depotId} /> : <section className="card"><Empty title="No driver picked">Pick a driver to see and plan today’s route.</Empty></section>}
        </div>
      ) : null}
    </div>
  );
}
