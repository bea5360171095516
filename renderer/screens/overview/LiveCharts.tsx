import { useCallback } from 'react';
import { useConsole } from '../../app/consoleContext.ts';
import { LiveChart } from '../../components/LiveChart.tsx';
import { formatCount, formatRate } from '../../lib/format.ts';

/** Write rate and read-model lag over the last two minutes, from push messages. */
export function LiveCharts() {
  const { live } = useConsole();
  const writeRate = useCallback(() => [{ label: 'events/s', values: live.store.getState().series.writeRate }], [live]);
  const lag = useCallback(
    () => Object.entries(live.store.getState().series.lag).map(([name, values]) => ({ label: name, values: values ?? [] })),
    [live],
  );
  return (
    <div className="grid-2">
      <section className="card">
        <h2 className="card-title">Write rate</h2>
        <LiveChart lines={writeRate} unit={formatRate} label="Events appended per second, last two minutes" />
      </section>
      <section className="card">
        <h2 className="card-title">Read-model lag</h2>
        <LiveChart lines={lag} unit={(value) => formatCount(Math.round(value))} label="Events each read model is behind the log, last two minutes" />
      </section>
    </div>
  );
}
