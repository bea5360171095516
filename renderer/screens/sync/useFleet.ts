import { useEffect } from 'react';
import { useConsole, useSlice } from '../../app/consoleContext.ts';
import type { FleetState } from '../../stores/fleet.ts';

/** At most this often on sync pushes (they come with every push and pull). */
export const fleetRefreshMs = 5000;

/** The server's list of devices: read when the screen opens (once joined) and again as sync moves; `joined` is null until known. */
export function useFleet(joined: boolean | null): FleetState {
  const { fleet, live } = useConsole();
  const state = useSlice(fleet, (s) => s);

  useEffect(() => {
    if (joined === null) return;
    if (!joined) return fleet.getState().forget();
    void fleet.getState().reload();
    let last = Date.now();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = live.store.subscribe((now, before) => {
      if (now.sync === before.sync || timer) return;
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        void fleet.getState().reload();
      }, Math.max(0, last + fleetRefreshMs - Date.now()));
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [joined, fleet, live]);

  return state;
}
