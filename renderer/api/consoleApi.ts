import type { WaybillTransport } from '../../db/contract/index.ts';

/** What the console talks to: the contract's transport, and whether the way to the core is up. */
export interface ConsoleApi extends WaybillTransport {
  /** Told at once whether the connection to the core is up, then on every change. */
  watchConnection(listener: (connected: boolean) => void): () => void;
}
