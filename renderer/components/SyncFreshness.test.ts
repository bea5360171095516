import { describe, expect, it } from 'vitest';
import { syncStatusForTests } from '../api/fakeApiForTests.ts';
import { syncNote } from './SyncFreshness.tsx';

const now = Date.parse('2026-11-27T12:00:00Z');
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const joined = syncStatusForTests({ joined: true, server: 'https://sync.example.org', online: true, lastContactAt: ago(0.5) });

describe('the header’s sync note', () => {
  it('says nothing for a laptop that never joined, nor while it keeps reaching its server', () => {
    expect(syncNote(null, now)).toBeNull();
    expect(syncNote(syncStatusForTests({ online: false }), now)).toBeNull();
    expect(syncNote(joined, now)).toBeNull();
  });

  it('says offline and how long since the last contact, or that there never was one', () => {
    expect(syncNote({ ...joined, online: false, lastContactAt: ago(130) }, now)?.text).toBe('offline · last synced 2 h ago');
    expect(syncNote({ ...joined, online: false, lastContactAt: null }, now)?.text).toBe('offline · never synced');
  });

  it('says so when online but quiet for a while, or stopped by a problem the server gave', () => {
    expect(syncNote({ ...joined, lastContactAt: ago(7) }, now)?.text).toBe('last synced 7 min ago');
    const revoked = { code: 'FORBIDDEN' as const, message: 'This device has been revoked on the sync server: it can no longer sync.', rule: 'revoked' };
    expect(syncNote({ ...joined, problem: revoked }, now)).toEqual({ text: 'sync stopped · last synced 30 s ago', title: revoked.message });
  });
});
