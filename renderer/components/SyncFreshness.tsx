import type { SyncStatus } from '../../db/contract/index.ts';
import { useConsole, useSlice } from '../app/consoleContext.ts';
import { links } from '../app/route.ts';
import { formatClock, formatRelative } from '../lib/format.ts';
import { useNow } from '../lib/useNow.ts';

/** Past this without reaching the server (it is asked at least every half minute while online), the header says so. */
export const syncQuietMs = 2 * 60_000;

export interface SyncNote {
  text: string;
  /** What a person can do about it, or the problem as the core put it. */
  title: string;
}

/** What the header says about sync: nothing while it keeps up, else how long since this laptop last reached its server. */
export function syncNote(status: SyncStatus | null, now: number): SyncNote | null {
  if (!status?.joined) return null;
  const last = status.lastContactAt ? `last synced ${formatRelative(status.lastContactAt, now)}` : 'never synced';
  const since = status.lastContactAt ? ` since ${formatClock(status.lastContactAt, now)}` : '';
  if (!status.online) return { text: `offline · ${last}`, title: `The sync server has not been reached${since}: what is recorded here waits, and other laptops' events arrive once it can be reached.` };
  if (status.problem) return { text: `sync stopped · ${last}`, title: status.problem.message };
  const quiet = status.lastContactAt === null || now - Date.parse(status.lastContactAt) > syncQuietMs;
  return quiet ? { text: last, title: `This laptop has not reached the sync server${since}.` } : null;
}

/** Beside the freshness badge: a read model can be up to date with this laptop's log while the log is hours behind the fleet. */
export function SyncFreshness() {
  const { live } = useConsole();
  const status = useSlice(live.store, (state) => state.sync);
  const now = useNow(15_000);
  const note = syncNote(status, now);
  if (!note) return null;
  return (
    <a href={links.sync()} className="freshness freshness-behind sync-freshness" title={note.title} data-testid="sync-freshness">
      <span className="freshness-dot" aria-hidden="true" />
      {note.text}
    </a>
  );
}
