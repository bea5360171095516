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

/** How long ago, in words a glance can take in: "just now", "4 min ago", "2 h ago", "3 days ago". */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.max(0, (now - at) / 1000);
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${Math.floor(seconds)} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** A moment as the clock on the wall says it: "10:42" today, "27 Nov, 10:42" on another day. */
export function formatClock(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return date.toDateString() === new Date(now).toDateString() ? time : `${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })}, ${time}`;
}

/** A device clock's offset from the server's: "in step", "3 s ahead", "12 min behind". */
export function formatSkew(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 1) return 'in step';
  const size = seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
  return `${size} ${ms > 0 ? 'ahead' : 'behind'}`;
}

/** "1 event", "2,400 events". */
export const countOf = (value: number, one: string, many = `${one}s`): string => `${formatCount(value)} ${value === 1 ? one : many}`;
