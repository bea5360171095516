import type { Freshness } from '../../db/contract/index.ts';
import { useConsole, useSlice } from '../app/consoleContext.ts';
import { formatCount } from '../lib/format.ts';

/** Events the answer had not yet seen: from the answer itself, or from the live head when it has moved on. */
export function eventsBehind(freshness: Freshness, liveHead: number | null): number {
  const head = Math.max(freshness.head, liveHead ?? 0);
  return Math.max(0, head - freshness.position);
}

export function FreshnessBadge({ freshness }: { freshness: Freshness | null }) {
  const { live } = useConsole();
  const liveHead = useSlice(live.store, (state) => state.head);
  if (!freshness) return <span className="freshness freshness-unknown">checking…</span>;
  const behind = eventsBehind(freshness, liveHead);
  const label = behind === 0 ? 'up to date' : `${formatCount(behind)} event${behind === 1 ? '' : 's'} behind`;
  const title = `Read model ${freshness.readModel ?? '—'} at position ${formatCount(freshness.position)} of ${formatCount(Math.max(freshness.head, liveHead ?? 0))}`;
  return (
    <span className={`freshness ${behind === 0 ? 'freshness-ok' : 'freshness-behind'}`} title={title} data-testid="freshness">
      <span className="freshness-dot" aria-hidden="true" />
      {freshness.stale ? `${label} (timed out waiting)` : label}
    </span>
  );
}
