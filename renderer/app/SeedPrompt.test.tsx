// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApiForTests, syncStatusForTests } from '../api/fakeApiForTests.ts';
import { renderWithConsole } from '../testing/renderWithConsole.tsx';
import { SeedPrompt } from './SeedPrompt.tsx';

afterEach(cleanup);

function emptyLog(joined: boolean) {
  const api = fakeApiForTests();
  api.answerQuery('projections.status', () => ({ ok: true, data: { head: 0, projections: [], writeRefusal: null }, freshness: { readModel: null, position: 0, head: 0, lag: 0, stale: false } }));
  api.answerOperation('sync.status', () => ({ ok: true, status: syncStatusForTests({ joined }) }));
  return api;
}

describe('the sample-data prompt', () => {
  it('offers sample data on an empty log, or joining a sync server instead', async () => {
    const view = renderWithConsole(<SeedPrompt />, emptyLog(false));
    await act(() => view.stores.live.start());
    expect(await screen.findByRole('button', { name: 'Load sample data' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'join its sync server' }).getAttribute('href')).toBe('#/sync');
  });

  it('is not offered to a laptop in a fleet, where demo data would sync to every other laptop', async () => {
    const view = renderWithConsole(<SeedPrompt />, emptyLog(true));
    await act(() => view.stores.live.start());
    await waitFor(() => expect(view.stores.live.store.getState()).toMatchObject({ head: 0, sync: { joined: true } }));
    expect(screen.queryByRole('button', { name: 'Load sample data' })).toBeNull();
  });
});
