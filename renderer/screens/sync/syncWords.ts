import type { ConflictKind, SyncStatus, WaybillErrorBody } from '../../../db/contract/index.ts';
import { countOf, formatClock } from '../../lib/format.ts';

export type Tone = 'ok' | 'warn';

export interface Checkpoint {
  tone: Tone;
  text: string;
  detail: string;
}

/** The write checkpoint in words: is everything recorded on this laptop safe on the server? */
export function writeCheckpoint(status: SyncStatus): Checkpoint {
  if (status.allOnServer) {
    const detail = status.deviceHead === 0 ? 'Nothing has been recorded on this laptop yet.' : `The server holds all ${countOf(status.deviceHead, 'event')} this laptop recorded.`;
    return { tone: 'ok', text: 'Everything recorded here is on the server', detail };
  }
  const waiting = status.waiting;
  return {
    tone: 'warn',
    text: `${countOf(waiting, 'event')} recorded here ${waiting === 1 ? 'is' : 'are'} not on the server yet`,
    detail: status.online ? 'They go up on their own in a moment, or now with Sync now.' : 'They stay safe here and go up once the server can be reached.',
  };
}

/** The read checkpoint in words: up to when does this laptop have everything the fleet recorded? */
export function readCheckpoint(status: SyncStatus, now: number): Checkpoint {
  if (!status.caughtUpAt) {
    return { tone: 'warn', text: 'Has not caught up with the server yet', detail: status.behind > 0 ? `${countOf(status.behind, 'event')} on the server still to fetch.` : 'The first pull has not finished.' };
  }
  const text = `Has everything the server had at ${formatClock(status.caughtUpAt, now)}`;
  if (status.behind > 0) return { tone: 'warn', text, detail: `The server has ${countOf(status.behind, 'newer event')} since, still to fetch.` };
  if (!status.online) return { tone: 'warn', text, detail: 'What other laptops record meanwhile arrives once the server can be reached.' };
  return { tone: 'ok', text, detail: 'What other laptops record arrives on its own while online.' };
}

/** A heading for sync's problem, by what kind of trouble it is; its message says the rest. */
export function problemTitle(problem: WaybillErrorBody): string {
  if (problem.rule === 'revoked') return 'This laptop has been revoked on the sync server';
  if (problem.rule === 'fork' || problem.rule === 'forked') return 'This laptop’s history no longer matches the server’s';
  if (problem.rule === 'unauthenticated') return 'The sync server no longer knows this laptop';
  if (problem.code === 'UNAVAILABLE' && problem.rule === undefined) return 'The sync server cannot be reached';
  return 'Sync stopped';
}

/** What someone here can do about it, when the message does not say it already. */
export function problemAdvice(problem: WaybillErrorBody): string | null {
  if (problem.rule === 'revoked' || problem.rule === 'unauthenticated') return 'Nothing recorded here is lost. To sync again, ask the office for a new one-time code, leave, and join with it.';
  if (problem.rule === 'fork' || problem.rule === 'forked') return 'This usually means the data folder was restored from a backup. Nothing more goes up until the sync server administrator looks at it.';
  if (problem.code === 'UNAVAILABLE' && problem.rule === undefined) return null;
  return 'Keep working: everything is recorded here.';
}

export function syncNowResult(pushed: number, pulled: number): string {
  if (pushed === 0 && pulled === 0) return 'Synced: nothing new either way.';
  const sent = pushed > 0 ? `sent ${countOf(pushed, 'event')}` : 'nothing to send';
  const received = pulled > 0 ? `received ${countOf(pulled, 'event')}` : 'nothing new to receive';
  return `Synced: ${sent}, ${received}.`;
}

export const conflictKindLabels: Record<ConflictKind, string> = {
  parcel_registered_twice: 'Parcel registered twice',
  tracking_code_taken: 'One tracking code on two parcels',
  delivered_and_lost: 'Delivered and reported lost',
  scan_after_delivery: 'Scanned after delivery',
};
