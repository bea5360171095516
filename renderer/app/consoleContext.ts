import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ConsoleApi } from '../api/consoleApi.ts';
import type { ConsoleStores } from '../stores/consoleStores.ts';

export const ConsoleContext = createContext<ConsoleStores | null>(null);

export function useConsole(): ConsoleStores {
  const stores = useContext(ConsoleContext);
  if (!stores) throw new Error('useConsole needs a <ConsoleContext.Provider>.');
  return stores;
}

export const useApi = (): ConsoleApi => useConsole().api;

/** Reads one slice of a store and re-renders only when that slice changes. */
export function useSlice<S, T>(store: StoreApi<S>, selector: (state: S) => T): T {
  return useStore(store, selector);
}
