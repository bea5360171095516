// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectionStatus, RebuildProgress } from '../../../db/contract/index.ts';
import { fakeApiForTests } from '../../api/fakeApiForTests.ts';
import { renderWithConsole } from '../../testing/renderWithConsole.tsx';
import { ProjectionRow } from './ProjectionRow.tsx';

afterEach(cleanup);

const status: ProjectionStatus = {
  name: 'event_history',
  version: 1,
  storedVersion: 1,
  checkpoint: 20_025,
  head: 20_025,
  lag: 0,
  state: 'idle',
  policy: 'park',
  error: null,
  eventsPerSecond: 0,
  deadLetters: [],
  rebuild: null,
};

function renderRow(rebuild: RebuildProgress | null) {
  const api = fakeApiForTests();
  const cancelled: unknown[] = [];
  api.answerOperation('cancelRebuild', (input) => {
    cancelled.push(input);
    return { ok: true };
  });
  let rebuilds = 0;
  renderWithConsole(
    <table>
      <tbody>
        <ProjectionRow status={status} rebuild={rebuild} onRebuild={() => rebuilds++} onChanged={() => undefined} />
      </tbody>
    </table>,
    api,
  );
  return { cancelled, rebuilds: () => rebuilds };
}

describe('a read model row', () => {
  it('shows a rebuild waiting for its slot as queued, not as idle with a live Rebuild button, and lets it be cancelled', () => {
    const row = renderRow({ name: 'event_history', phase: 'queued', position: 0, target: 0, eventsPerSecond: 0, etaSeconds: null });
    const button = screen.getByRole('button', { name: 'Queued…' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(button);
    expect(row.rebuilds()).toBe(0);
    expect(screen.getByTestId('rebuild-event_history').textContent).toContain('queued');
    expect(screen.queryByRole('progressbar')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'cancel' }));
    expect(row.cancelled).toEqual([{ projection: 'event_history' }]);
  });

  it('offers Rebuild when nothing is running', () => {
    const row = renderRow(null);
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild' }));
    expect(row.rebuilds()).toBe(1);
  });
});
