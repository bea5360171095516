import { useState } from 'react';
import { useConsole, useSlice } from './consoleContext.ts';
import { formatCount } from '../lib/format.ts';
import { links } from './route.ts';

export const sampleEvents = 5000;

/** First launch: the log is empty, so offer demo depots, drivers, parcels and routes (never to a laptop in a fleet: they would sync to every other). */
export function SeedPrompt() {
  const { api, live, parcels, events } = useConsole();
  const head = useSlice(live.store, (state) => state.head);
  const refused = useSlice(live.store, (state) => state.writeRefusal !== null);
  const joined = useSlice(live.store, (state) => state.sync?.joined === true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if ((head !== 0 || refused || joined) && !busy) return null;
  const load = async () => {
    setBusy(true);
    setError(null);
    const result = await api.call('seed', { events: sampleEvents });
    setBusy(false);
    if (!result.ok) setError(result.error.message);
    else {
      await live.start();
      // Lists already on screen wait for the read models to take in the sample data.
      await Promise.all([parcels.getState().refresh(result.head), events.getState().refresh(result.head)]);
    }
  };
  return (
    <section className="seed-prompt" aria-labelledby="seed-title">
      <div>
        <h2 id="seed-title">The event log is empty</h2>
        <p>
          Load sample data to explore the console: depots, drivers and about {formatCount(sampleEvents)} events of parcels moving through them. Or, to work with your
          fleet, <a href={links.sync()}>join its sync server</a>.
        </p>
        {error ? <p className="field-error" role="alert">{error}</p> : null}
      </div>
      <button type="button" className="button button-primary" onClick={load} disabled={busy}>
        {busy ? 'Loading sample data…' : 'Load sample data'}
      </button>
    </section>
  );
}
