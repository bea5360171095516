import type { ParcelStatus } from '../../db/contract/index.ts';
import { statusLabels } from '../lib/format.ts';

export function StatusChip({ status }: { status: ParcelStatus }) {
  return <span className={`chip chip-${status}`}>{statusLabels[status]}</span>;
}

/** A chip for any small state word (projection state, route stop state). */
export function StateChip({ state, tone }: { state: string; tone: 'ok' | 'warn' | 'danger' | 'info' | 'muted' }) {
  return <span className={`chip chip-tone-${tone}`}>{state.replace(/_/g, ' ')}</span>;
}
