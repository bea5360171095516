// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApiForTests, freshAt } from '../api/fakeApiForTests.ts';
import { renderWithConsole } from '../testing/renderWithConsole.tsx';
import { FreshnessBadge } from './Freshness.tsx';

afterEach(cleanup);

describe('the freshness badge', () => {
  it('says up to date when the answer saw the whole log', () => {
    renderWithConsole(<FreshnessBadge freshness={freshAt(50)} />, fakeApiForTests());
    expect(screen.getByTestId('freshness').textContent).toBe('up to date');
  });

  it('counts the events the answer had not seen', () => {
    renderWithConsole(<FreshnessBadge freshness={freshAt(40, 43)} />, fakeApiForTests());
    expect(screen.getByTestId('freshness').textContent).toBe('3 events behind');
  });

  it('falls behind as the live head moves on', async () => {
    const api = fakeApiForTests();
    renderWithConsole(<FreshnessBadge freshness={freshAt(50)} />, api);
    await act(async () => {
      api.push('head', { head: 51, appendedPerSecond: 1 });
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    expect(screen.getByTestId('freshness').textContent).toBe('1 event behind');
  });
});
