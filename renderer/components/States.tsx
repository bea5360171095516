import type { ReactNode } from 'react';
import type { WaybillErrorBody } from '../../db/contract/index.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children ? <div className="state-detail">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: WaybillErrorBody | string; onRetry?: () => void }) {
  const message = typeof error === 'string' ? error : error.message;
  const code = typeof error === 'string' ? null : error.code;
  return (
    <div className="state state-error" role="alert">
      <strong>{code ? `${code}: ` : ''}Could not load this.</strong>
      <div className="state-detail">{message}</div>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
