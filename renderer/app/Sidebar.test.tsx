// @vitest-environment jsdom
import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApiForTests } from '../api/fakeApiForTests.ts';
import { renderWithConsole } from '../testing/renderWithConsole.tsx';
import { Sidebar } from './Sidebar.tsx';

afterEach(() => vi.useRealTimers());

describe('the sidebar', () => {
  it('turns its connection dot off and says so when the connection drops, and back on when it returns', async () => {
    vi.useFakeTimers();
    const api = fakeApiForTests();
    const view = renderWithConsole(<Sidebar screen="overview" onOpenPalette={() => undefined} />, api);
    act(() => {
      api.push('head', { head: 1234, appendedPerSecond: 0 });
      vi.advanceTimersByTime(1);
    });
    const connection = screen.getByRole('status');
    expect(connection.textContent).toBe('log head 1,234');
    expect(connection.querySelector('.freshness-dot')?.className).toContain('dot-ok');

    act(() => {
      api.setConnected(false);
      vi.advanceTimersByTime(1);
    });
    expect(connection.textContent).toBe('disconnected · reconnecting…');
    expect(connection.querySelector('.freshness-dot')?.className).toContain('dot-off');

    act(() => {
      api.setConnected(true);
      vi.advanceTimersByTime(1);
    });
    expect(connection.textContent).toBe('log head 1,234');
    view.unmount();
  });
});
