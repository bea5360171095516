// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../testing/renderWithConsole.tsx';
import { VirtualRows } from './VirtualRows.tsx';

afterEach(cleanup);

const rows = Array.from({ length: 10_000 }, (_, index) => index);

function renderRows(onNearEnd: () => void, hasMore = true) {
  return render(
    <VirtualRows label="numbers" rows={rows} rowHeight={40} rowKey={(row) => row} renderRow={(row) => <span>row {row}</span>} hasMore={hasMore} onNearEnd={onNearEnd} />,
  );
}

describe('virtual rows', () => {
  it('renders only the rows in view, not all ten thousand', () => {
    renderRows(() => undefined);
    const rendered = screen.getAllByRole('row');
    expect(rendered.length).toBeLessThan(40);
    expect(screen.getByText('row 0')).toBeTruthy();
  });

  it('asks for the next page only when the end is less than a viewport away', () => {
    const onNearEnd = vi.fn();
    renderRows(onNearEnd);
    expect(onNearEnd).not.toHaveBeenCalled();
    const viewport = screen.getByTestId('numbers-rows');
    fireEvent.scroll(viewport, { target: { scrollTop: 40 * 10_000 - 900 } });
    expect(onNearEnd).toHaveBeenCalled();
    expect(screen.getByText('row 9999')).toBeTruthy();
  });

  it('does not ask for more when the answer said there is no next page', () => {
    const onNearEnd = vi.fn();
    renderRows(onNearEnd, false);
    fireEvent.scroll(screen.getByTestId('numbers-rows'), { target: { scrollTop: 40 * 10_000 } });
    expect(onNearEnd).not.toHaveBeenCalled();
  });
});
