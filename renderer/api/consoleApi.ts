import type { WaybillApi } from '../../db/contract.ts';

/** The API the console talks to: the core's calls and pushes, and whether the way to the core is up. */
export interface ConsoleApi extends WaybillApi {
  /** Told at once whether the connection to the core is up, then on every change. */
  watchConnection(listener: (connected: boolean) => void): () => void;
}
