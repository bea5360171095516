// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApiForTests, freshAt } from '../api/fakeApiForTests.ts';
import { renderWithConsole } from '../testing/renderWithConsole.tsx';
import { FreshnessBadge } from './Freshness.tsx';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('the freshness badge', () => {
  it('says up to date when the answer saw the whole log', () => {
    renderWithConsole(<FreshnessBadge freshness={freshAt(50)} />, fakeApiForTests());
    expect(screen.getByTestId('freshness').textContent).toBe('up to date');
  });

  it('counts the events the answer had not seen', () => {
    renderWithConsole(<FreshnessBadge freshness={freshAt(40, 43)} />, fakeApiForTests());
    expect(screen.getByTestId('freshness').textContent).toBe('3 events behind');
  });

  it('falls behind as the live head moves on', () => {
    vi.useFakeTimers();
    const api = fakeApiForTests();
    renderWithConsole(<FreshnessBadge freshness={freshAt(50)} />, api);
    act(() => {
      api.push('head', { head: 51, appendedPerSecond: 1 });
      vi.advanceTimersByTime(0); // the live store's flush (flushMs 0 in renderWithConsole)
    });
    expect(screen.getByTestId('freshness').textContent).toBe('1 event behind');
  });
});
