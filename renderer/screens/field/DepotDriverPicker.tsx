import type { DepotBoardRow } from '../../../db/contract/index.ts';
import { useConsole, useSlice } from '../../app/consoleContext.ts';
import { useQuery } from '../../lib/useQuery.ts';

export interface DriverOption {
  driverId: string;
  name: string;
  homeDepotId: string;
}

/** Drivers come from their DriverRegistered events: the event history is itself a read model. */
export function useDrivers(): DriverOption[] {
  const answer = useQuery('events.list', { type: 'DriverRegistered', limit: 1000 });
  return (answer.data?.rows ?? []).map((row) => ({
    driverId: String(row.payload.driverId),
    name: String(row.payload.name),
    homeDepotId: String(row.payload.homeDepotId),
  }));
}

export function DepotDriverPicker({ depots }: { depots: readonly DepotBoardRow[] }) {
  const { preferences } = useConsole();
  const depotId = useSlice(preferences, (state) => state.depotId);
  const driverId = useSlice(preferences, (state) => state.driverId);
  const drivers = useDrivers().filter((driver) => driver.homeDepotId === depotId);
  return (
    <div className="picker">
      <label className="inline-field">
        <span>Depot</span>
        <select value={depotId ?? ''} onChange={(event) => preferences.getState().pickDepot(event.target.value || null)} aria-label="Depot">
          <option value="">Choose…</option>
          {depots.map((depot) => (
            <option key={depot.depotId} value={depot.depotId}>
              {depot.name}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>Driver</span>
        <select value={driverId ?? ''} onChange={(event) => preferences.getState().pickDriver(event.target.value || null)} aria-label="Driver" disabled={!depotId}>
          <option value="">{!depotId ? 'Pick a depot first' : drivers.length === 0 ? 'No drivers here' : 'Choose…'}</option>
          {drivers.map((driver) => (
            <option key={driver.driverId} value={driver.driverId}>
              {driver.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
