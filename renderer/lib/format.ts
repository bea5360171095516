import { eventTypeNames, type ParcelStatus } from '../../db/contract/index.ts';

const numberFormat = new Intl.NumberFormat('en-GB');

export const formatCount = (value: number): string => numberFormat.format(value);

export function formatRate(perSecond: number): string {
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k/s`;
  return `${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const statusLabels: Record<ParcelStatus, string> = {
  registered: 'Registered',
  in_transit: 'In transit',
  at_depot: 'At depot',
  planned: 'Planned',
  out_for_delivery: 'Out for delivery',
  attempt_failed: 'Attempt failed',
  delivered: 'Delivered',
  lost: 'Lost',
};

/** The event types the core records; the event history's type filter offers these. */
export const knownEventTypes = eventTypeNames;

export const today = (now = new Date()): string => now.toISOString().slice(0, 10);
