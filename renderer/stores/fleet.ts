import { createStore } from 'zustand/vanilla';
import type { FleetDevice, WaybillErrorBody } from '../../db/contract/index.ts';
import type { ConsoleApi } from '../api/consoleApi.ts';

export interface FleetState {
  /** The server's last answer, kept while it cannot be reached: an offline laptop still shows who was there. */
  devices: FleetDevice[] | null;
  error: WaybillErrorBody | null;
  loading: boolean;
  /** When the server last answered (ms since epoch). */
  readAt: number | null;
  reload(): Promise<void>;
  /** After leaving the server: its fleet is no longer this laptop's. */
  forget(): void;
}

/** Every device of the server this laptop syncs with (sync.fleet), shared by the screens that show it. */
export function createFleetStore(api: ConsoleApi) {
  let generation = 0;
  return createStore<FleetState>((set) => ({
    devices: null,
    error: null,
    loading: false,
    readAt: null,
    async reload() {
      const mine = ++generation;
      set({ loading: true });
      const answer = await api.call('sync.fleet', {});
      if (mine !== generation) return;
      if (answer.ok) set({ devices: answer.devices, error: null, loading: false, readAt: Date.now() });
      else set({ error: answer.error, loading: false });
    },
    forget() {
      generation++;
      set({ devices: null, error: null, loading: false, readAt: null });
    },
  }));
}

export type FleetStore = ReturnType<typeof createFleetStore>;
