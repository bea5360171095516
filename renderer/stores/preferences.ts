import { createStore } from 'zustand/vanilla';

export type Theme = 'light' | 'dark';

export interface PreferencesState {
  theme: Theme;
  depotId: string | null;
  driverId: string | null;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  pickDepot(depotId: string | null): void;
  pickDriver(driverId: string | null): void;
}

const key = 'waybill.preferences';

interface Saved {
  theme?: Theme;
  depotId?: string | null;
  driverId?: string | null;
}

function load(storage: Storage | null): Saved {
  try {
    return JSON.parse(storage?.getItem(key) ?? '{}') as Saved;
  } catch {
    return {};
  }
}

/** What this operator chose last time: theme, depot and driver. Kept in localStorage. */
export function createPreferencesStore(storage: Storage | null, prefersDark: boolean) {
  const saved = load(storage);
  const store = createStore<PreferencesState>((set, get) => ({
    theme: saved.theme ?? (prefersDark ? 'dark' : 'light'),
    depotId: saved.depotId ?? null,
    driverId: saved.driverId ?? null,
    setTheme: (theme) => set({ theme }),
    toggleTheme: () => set({ theme: get().theme === 'dark' ? 'light' : 'dark' }),
    pickDepot: (depotId) => set({ depotId, driverId: depotId === get().depotId ? get().driverId : null }),
    pickDriver: (driverId) => set({ driverId }),
  }));
  store.subscribe((state) => {
    try {
      storage?.setItem(key, JSON.stringify({ theme: state.theme, depotId: state.depotId, driverId: state.driverId }));
    } catch {
      // private mode or full storage: preferences simply do not persist
    }
  });
  return store;
}

export type PreferencesStore = ReturnType<typeof createPreferencesStore>;
