import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { ConsoleApi } from '../api/consoleApi.ts';
import { ConsoleContext } from '../app/consoleContext.ts';
import { createConsoleStores, type ConsoleStores } from '../stores/consoleStores.ts';

/** jsdom has no ResizeObserver; components only need it to exist. */
class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoopResizeObserver as unknown as typeof ResizeObserver;

/** Renders a component inside the console's context, over the given API. */
export function renderWithConsole(ui: ReactNode, api: ConsoleApi): RenderResult & { stores: ConsoleStores } {
  const stores = createConsoleStores(api, { live: { flushMs: 0, sampleMs: 60_000 } });
  const result = render(<ConsoleContext.Provider value={stores}>{ui}</ConsoleContext.Provider>);
  const unmount = result.unmount;
  return Object.assign(result, {
    stores,
    unmount: () => {
      unmount();
      stores.live.close();
    },
  });
}
