// What the desktop app does when its data folder does not open. Pure (no electron import), so the
// decision is tested without Electron: main.ts only carries it out.
import { WaybillError } from '../db/contract/waybillError.ts';

/** The text of an Electron message box. */
export interface DialogText {
  title: string;
  message: string;
  detail: string;
}

export type OpenFailurePlan =
  /** Open the folder again with `readOnly: true`, and show `notice` once the window is up. */
  | { action: 'open-read-only'; notice: DialogText }
  /** Show `failure` and quit. */
  | { action: 'quit'; failure: DialogText };

/** A typed error as its code and message ("READ_ONLY: …"), any other error as its message; never a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof WaybillError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The dialog for a start that cannot go on. */
export function startFailure(error: unknown, dataDir: string): DialogText {
  return { title: 'Waybill could not start', message: describeError(error), detail: `Data folder: ${dataDir}` };
}

/**
 * Given why the normal open of the data folder failed: a read-only folder (a read-only medium or
 * permissions) is opened read-only, and the user is told that nothing can be recorded and why;
 * any other failure (damaged, locked) ends the start with its error. If the read-only open fails
 * too, that failure ends the start (`startFailure`).
 */
export function planAfterOpenFailure(error: unknown, dataDir: string): OpenFailurePlan {
  if (!(error instanceof WaybillError) || error.code !== 'READ_ONLY') return { action: 'quit', failure: startFailure(error, dataDir) };
  return {
    action: 'open-read-only',
    notice: {
      title: 'Waybill is read-only',
      message: 'The data folder cannot be written to, so Waybill opened it read-only: you can look at everything, but nothing can be recorded.',
      detail: `${describeError(error)}\n\nTo record again, make the folder writable and restart Waybill.\n\nData folder: ${dataDir}`,
    },
  };
}
