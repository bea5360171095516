// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConflictRow, FleetDevice, QueryResult, SyncStatus } from '../../../db/contract/index.ts';
import { fakeApiForTests, freshAt, syncStatusForTests, type FakeApi } from '../../api/fakeApiForTests.ts';
import { renderWithConsole } from '../../testing/renderWithConsole.tsx';
import { SyncScreen } from './SyncScreen.tsx';

afterEach(cleanup);

const ownId = syncStatusForTests().deviceId!;
const vanId = '0193a1b2-0000-7000-8000-00000000000b';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
/** Today at 10:42 on the local clock (earlier than now or not, it reads "10:42"). */
const tenFortyTwo = (() => {
  const at = new Date();
  at.setHours(10, 42, 0, 0);
  return at.toISOString();
})();

const upToDate = syncStatusForTests({
  joined: true,
  server: 'https://sync.example.org',
  deviceName: 'Van 3',
  online: true,
  lastContactAt: minutesAgo(0.1),
  lastPushAt: minutesAgo(4),
  lastPullAt: minutesAgo(0.1),
  deviceHead: 12,
  acked: 12,
  cursor: 40,
  serverHead: 40,
  allOnServer: true,
  caughtUpAt: tenFortyTwo,
});

const offline = syncStatusForTests({
  ...upToDate,
  online: false,
  lastContactAt: minutesAgo(125),
  deviceHead: 15,
  waiting: 3,
  allOnServer: false,
  behind: 0,
  problem: { code: 'UNAVAILABLE', message: 'The sync server at https://sync.example.org cannot be reached (ECONNREFUSED); this laptop keeps working and syncs when it can.', retryable: true },
});

const device = (deviceId: string, name: string, changes: Partial<FleetDevice> = {}): FleetDevice => ({
  deviceId,
  name,
  enrolledAt: minutesAgo(600),
  lastSeenAt: minutesAgo(1),
  acked: 12,
  pending: 0,
  skewMs: 400,
  skewFlagged: false,
  forked: false,
  revokedAt: null,
  ...changes,
});

const conflict: ConflictRow = {
  conflictId: '6f1c2a9e-1b2c-4d5e-8f90-123456789abc',
  kind: 'tracking_code_taken',
  parcelId: 'P-77',
  summary: 'Tracking code WB000777 was given to P-70 and to P-77; P-70 keeps it, P-77 needs a new label.',
  first: { eventId: 'e-1', position: 31, type: 'ParcelRegistered', deviceId: vanId, actor: 'ada', recordedAt: minutesAgo(50) },
  second: { eventId: 'e-2', position: 38, type: 'ParcelRegistered', deviceId: ownId, actor: 'bob', recordedAt: minutesAgo(45) },
  position: 38,
  state: 'open',
  resolution: null,
};

function conflictsAnswer(rows: ConflictRow[], position = 40): QueryResult<'conflicts.list'> {
  return { ok: true, data: { rows, next: null, open: rows.filter((row) => row.state === 'open').length }, freshness: { ...freshAt(position), readModel: 'conflicts' } };
}

async function renderSync(api: FakeApi, status: SyncStatus) {
  api.answerOperation('sync.status', () => ({ ok: true, status }));
  const view = renderWithConsole(<SyncScreen />, api);
  await act(() => view.stores.live.start());
  return view;
}

describe('the sync screen', () => {
  it('offers to join when this laptop syncs with no server, and shows why a join was refused, by its field or for the form', async () => {
    const api = fakeApiForTests();
    api.answerQuery('conflicts.list', () => conflictsAnswer([]));
    const answers = [
      { ok: false as const, error: { code: 'FORBIDDEN' as const, message: 'This enrolment code has already been used. Ask the sync server administrator for a new one.', rule: 'code_used' } },
      { ok: true as const, status: { ...upToDate, lastPushAt: null } },
    ];
    api.answerOperation('sync.join', () => answers.shift()!);
    api.answerOperation('sync.fleet', () => ({ ok: true, devices: [device(ownId, 'Van 3')] }));
    await renderSync(api, syncStatusForTests());

    const form = await screen.findByRole('form', { name: 'Join a sync server' });
    expect(screen.getByRole('heading', { name: 'This laptop does not sync yet' })).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Fleet' })).getByText('No fleet yet')).toBeTruthy();

    fireEvent.change(within(form).getByLabelText('Server URL'), { target: { value: 'sync.example.org' } });
    fireEvent.change(within(form).getByLabelText('One-time code'), { target: { value: 'ABCD-EFGH' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Join the server' }));
    expect((await screen.findByTestId('join-server-error')).textContent).toBe('Must be an http:// or https:// URL');
    expect(api.calls.filter((call) => call.name === 'sync.join')).toEqual([]);

    fireEvent.change(within(form).getByLabelText('Server URL'), { target: { value: 'https://sync.example.org' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Join the server' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('This enrolment code has already been used. Ask the sync server administrator for a new one.');

    fireEvent.click(within(form).getByRole('button', { name: 'Join the server' }));
    await screen.findByRole('region', { name: 'This laptop' });
    expect(api.calls.filter((call) => call.name === 'sync.join').map((call) => call.params)).toEqual([
      { server: 'https://sync.example.org', code: 'ABCD-EFGH' },
      { server: 'https://sync.example.org', code: 'ABCD-EFGH' },
    ]);
    expect(screen.queryByRole('form', { name: 'Join a sync server' })).toBeNull();
  });

  it('joined, online and up to date: both checkpoints in words, nothing waiting, the fleet with this laptop marked, no sync note in the header', async () => {
    const api = fakeApiForTests();
    api.answerQuery('conflicts.list', () => conflictsAnswer([]));
    api.answerOperation('sync.fleet', () => ({ ok: true, devices: [device(vanId, 'Van 7', { skewMs: -600_000, skewFlagged: true, pending: 4 }), device(ownId, 'Van 3')] }));
    await renderSync(api, upToDate);

    expect((await screen.findByTestId('write-checkpoint')).textContent).toContain('Everything recorded here is on the server');
    expect(screen.getByTestId('read-checkpoint').textContent).toContain('Has everything the server had at 10:42');
    const laptop = screen.getByRole('region', { name: 'This laptop' });
    expect(within(laptop).getByText('online')).toBeTruthy();
    expect(within(laptop).getByText('Waiting to go up').nextElementSibling?.textContent).toBe('0');
    expect(within(laptop).getByText('Last push').nextElementSibling?.textContent).toBe('4 min ago');
    expect(screen.queryByTestId('sync-problem')).toBeNull();
    expect(screen.queryByTestId('sync-freshness')).toBeNull();
    expect(within(screen.getByRole('region', { name: /^Conflicts waiting for a person/ })).getByText('Nothing waiting')).toBeTruthy();

    const own = await screen.findByTestId('fleet-Van 3');
    expect(own.textContent).toContain('this laptop');
    const van = screen.getByTestId('fleet-Van 7');
    expect(van.textContent).toContain('⚠ 10 min behind');
    expect(van.textContent).toContain('4');
    expect(screen.getByRole('region', { name: 'Fleet' }).textContent).toContain('2 devices · 1 clock off · 4 events still to come up');
  });

  it('offline with events waiting: the problem in a banner, the write checkpoint counts them, and the header says when it last synced', async () => {
    const api = fakeApiForTests();
    api.answerQuery('conflicts.list', () => conflictsAnswer([]));
    api.answerOperation('sync.fleet', () => ({ ok: false, error: offline.problem! }));
    await renderSync(api, offline);

    const banner = await screen.findByTestId('sync-problem');
    expect(banner.textContent).toContain('The sync server cannot be reached');
    expect(banner.textContent).toContain('ECONNREFUSED');
    expect(screen.getByTestId('write-checkpoint').textContent).toContain('3 events recorded here are not on the server yet');
    expect(screen.getByTestId('write-checkpoint').textContent).toContain('go up once the server can be reached');
    expect(within(screen.getByRole('region', { name: 'This laptop' })).getByText('offline')).toBeTruthy();
    expect(screen.getByTestId('sync-freshness').textContent).toBe('offline · last synced 2 h ago');
    // The fleet is the server's to tell: out of reach is a normal day offline, said calmly, with a way to ask again.
    const fleet = screen.getByRole('region', { name: 'Fleet' });
    await waitFor(() => expect(within(fleet).getByRole('status').textContent).toBe('The fleet comes from the sync server, which cannot be reached now.'));
    expect(within(fleet).getByRole('button', { name: 'Ask again' })).toBeTruthy();
    expect(within(fleet).queryByRole('alert')).toBeNull();
  });

  it('runs Sync now with a progress state, then says what it sent and received', async () => {
    const api = fakeApiForTests();
    api.answerQuery('conflicts.list', () => conflictsAnswer([]));
    api.answerOperation('sync.fleet', () => ({ ok: true, devices: [] }));
    let finish!: () => void;
    api.answerOperation('sync.now', () => new Promise((resolve) => (finish = () => resolve({ ok: true, pushed: 3, pulled: 5, status: upToDate }))));
    await renderSync(api, offline);

    fireEvent.click(await screen.findByRole('button', { name: 'Sync now' }));
    const syncing = await screen.findByRole('button', { name: 'Syncing…' });
    expect((syncing as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('sync-run').textContent).toContain('Sending what waits here');
    await act(async () => finish());
    expect((await screen.findByTestId('sync-run')).textContent).toBe('✓ Synced: sent 3 events, received 5 events.');
    expect(screen.getByTestId('write-checkpoint').textContent).toContain('Everything recorded here is on the server');
    expect(screen.queryByTestId('sync-problem')).toBeNull();
  });

  it('leaves only after a confirmation that says what stays behind, and Escape keeps it joined', async () => {
    const api = fakeApiForTests();
    api.answerQuery('conflicts.list', () => conflictsAnswer([]));
    api.answerOperation('sync.fleet', () => ({ ok: true, devices: [] }));
    api.answerOperation('sync.leave', () => ({ ok: true, status: syncStatusForTests({ deviceHead: 15 }) }));
    await renderSync(api, offline);

    fireEvent.click(await screen.findByRole('button', { name: 'Leave…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Leave https://sync.example.org?' });
    expect(dialog.textContent).toContain('3 events recorded here are not on the server yet and will stay only on this laptop');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Stay joined' }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.calls.filter((call) => call.name === 'sync.leave')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Leave…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Leave the server' }));
    await screen.findByRole('form', { name: 'Join a sync server' });
    expect(api.calls.filter((call) => call.name === 'sync.leave')).toHaveLength(1);
  });

  it('follows the sync push topic', async () => {
    const api = fakeApiForTests();
    api.answerQuery('conflicts.list', () => conflictsAnswer([]));
    api.answerOperation('sync.fleet', () => ({ ok: true, devices: [] }));
    await renderSync(api, upToDate);
    await screen.findByText('online');
    act(() => api.push('sync', offline));
    await screen.findByText('offline');
    expect(screen.getByTestId('write-checkpoint').textContent).toContain('3 events recorded here are not on the server yet');
  });

  it('lists an open conflict with both sides and who recorded them, and confirming it resolves it and re-reads the list at the command’s position', async () => {
    const api = fakeApiForTests();
    let rows = [conflict];
    api.answerQuery('conflicts.list', (params) => conflictsAnswer(params.state === 'resolved' ? rows.filter((r) => r.state === 'resolved') : rows.filter((r) => r.state === 'open')));
    api.answerOperation('sync.fleet', () => ({ ok: true, devices: [device(vanId, 'Van 7'), device(ownId, 'Van 3')] }));
    api.answerCommand((request) => {
      rows = [{ ...conflict, state: 'resolved', resolution: { outcome: 'confirmed', note: null, actor: 'bob', at: minutesAgo(0) } }];
      return { ok: true, commandId: request.commandId ?? 'c', position: 41, events: [], duplicate: false };
    });
    await renderSync(api, upToDate);

    const open = await screen.findByRole('list', { name: 'Open conflicts' });
    const item = within(open).getByRole('listitem', { name: 'One tracking code on two parcels' });
    expect(within(item).getByRole('link', { name: 'parcel P-77' }).getAttribute('href')).toBe('#/parcel/P-77');
    expect(item.textContent).toContain('P-70 keeps it');
    await waitFor(() => expect(item.textContent).toContain('on Van 7 · by ada'));
    expect(item.textContent).toContain('on this laptop (Van 3) · by bob');
    expect(within(item).getByText('Stands')).toBeTruthy();
    expect(within(item).getByText('Broke the rule')).toBeTruthy();
    expect(within(item).getByRole('link', { name: '#31' }).getAttribute('href')).toBe('#/event/31');

    fireEvent.click(within(item).getByRole('button', { name: 'Confirm what the screens show' }));
    expect(await screen.findByText('✓ One tracking code on two parcels (parcel P-77): confirmed as the screens show it.')).toBeTruthy();
    await screen.findByText('Nothing waiting');
    expect(api.calls.filter((call) => call.kind === 'command')).toEqual([{ kind: 'command', name: 'ResolveConflict', params: { conflictId: conflict.conflictId, outcome: 'confirmed' } }]);
    expect(api.calls.filter((call) => call.name === 'conflicts.list').at(-1)).toMatchObject({ params: { state: 'open' }, options: { minPosition: 41 } });

    fireEvent.click(screen.getByLabelText('Show resolved ones'));
    const resolved = await screen.findByRole('list', { name: 'Resolved conflicts' });
    expect(resolved.textContent).toContain('Confirmed what the screens show by bob');
    expect(within(resolved).queryByRole('button')).toBeNull();
  });

  it('closes a conflict as corrected only with a note saying what was corrected', async () => {
    const api = fakeApiForTests();
    api.answerQuery('conflicts.list', () => conflictsAnswer([conflict]));
    api.answerOperation('sync.fleet', () => ({ ok: true, devices: [] }));
    await renderSync(api, upToDate);

    const item = await screen.findByRole('listitem', { name: 'One tracking code on two parcels' });
    fireEvent.click(within(item).getByRole('button', { name: 'I recorded a correction' }));
    fireEvent.click(within(item).getByRole('button', { name: 'Close as corrected' }));
    expect(within(item).getByRole('alert').textContent).toBe('Say what you corrected, so the next person knows.');
    expect(api.calls.filter((call) => call.kind === 'command')).toEqual([]);

    fireEvent.change(within(item).getByLabelText('What did you correct?'), { target: { value: 'Relabelled P-77 as WB000778.' } });
    fireEvent.click(within(item).getByRole('button', { name: 'Close as corrected' }));
    await waitFor(() =>
      expect(api.calls.filter((call) => call.kind === 'command').map((call) => call.params)).toEqual([{ conflictId: conflict.conflictId, outcome: 'corrected', note: 'Relabelled P-77 as WB000778.' }]),
    );
  });

  it('says so when this folder cannot sync at all (open read-only)', async () => {
    const api = fakeApiForTests();
    api.answerQuery('conflicts.list', () => conflictsAnswer([]));
    api.answerOperation('sync.status', () => ({ ok: false, error: { code: 'READ_ONLY', message: 'This data folder is open read-only: it cannot sync.' } }));
    const view = renderWithConsole(<SyncScreen />, api);
    await act(() => view.stores.live.start());
    expect(await screen.findByText('This data folder cannot sync')).toBeTruthy();
    expect(screen.getByText('This data folder is open read-only: it cannot sync.')).toBeTruthy();
  });
});
