import type { ConsoleApi } from '../api/consoleApi.ts';
import { createFleetStore } from './fleet.ts';
import { createEventListStore, createParcelListStore } from './lists.ts';
import { createLiveStore, type LiveStoreOptions } from './liveStore.ts';
import { createPreferencesStore } from './preferences.ts';

/** Everything the screens share, built once per API object. */
export function createConsoleStores(api: ConsoleApi, options: { storage?: Storage | null; prefersDark?: boolean; live?: LiveStoreOptions } = {}) {
  const live = createLiveStore(api, options.live);
  const readOptions = (minPosition?: number) => (minPosition === undefined ? live.readOptions() : { minPosition });
  return {
    api,
    live,
    parcels: createParcelListStore(api, readOptions),
    events: createEventListStore(api, readOptions),
    fleet: createFleetStore(api),
    preferences: createPreferencesStore(options.storage ?? null, options.prefersDark ?? false),
  };
}

export type ConsoleStores = ReturnType<typeof createConsoleStores>;
