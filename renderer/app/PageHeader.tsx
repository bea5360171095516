import type { ReactNode } from 'react';
import type { Freshness } from '../../db/contract/index.ts';
import { FreshnessBadge } from '../components/Freshness.tsx';
import { SyncFreshness } from '../components/SyncFreshness.tsx';

/** Title row of every screen: what it is, how fresh its data is (and this laptop's log, when its sync lags), and its actions. */
export function PageHeader({ title, subtitle, freshness, onRefresh, children }: { title: string; subtitle?: ReactNode; freshness?: Freshness | null; onRefresh?: () => void; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div className="page-title">
        <h1>{title}</h1>
        {subtitle ? <div className="page-subtitle">{subtitle}</div> : null}
      </div>
      <div className="page-actions">
        {freshness !== undefined ? <FreshnessBadge freshness={freshness} /> : null}
        <SyncFreshness />
        {onRefresh ? (
          <button type="button" className="button button-ghost button-small" onClick={onRefresh} title="Read this screen's data again">
            ↻ Refresh
          </button>
        ) : null}
        {children}
      </div>
    </header>
  );
}
