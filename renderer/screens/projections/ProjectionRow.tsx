import { useState } from 'react';
import type { ProjectionState, ProjectionStatus, RebuildProgress } from '../../../db/contract/index.ts';
import { useConsole } from '../../app/consoleContext.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { StateChip } from '../../components/StatusChip.tsx';
import { formatCount, formatDuration, formatRate } from '../../lib/format.ts';
import { DeadLetters } from './DeadLetters.tsx';

const stateTone: Record<ProjectionState, 'ok' | 'info' | 'warn' | 'danger' | 'muted'> = {
  idle: 'ok',
  catching_up: 'info',
  rebuilding: 'warn',
  halted: 'danger',
  stopped: 'muted',
};
const runningPhases = new Set<RebuildProgress['phase']>(['queued', 'loading', 'indexing', 'verifying', 'swapping']);

function RebuildLine({ progress, onCancel }: { progress: RebuildProgress; onCancel: () => void }) {
  const running = runningPhases.has(progress.phase);
  if (progress.phase === 'queued') {
    return (
      <div className="rebuild" data-testid={`rebuild-${progress.name}`}>
        <div className="rebuild-meta small">
          <span className="strong">queued</span>
          <span>starts when a rebuild slot is free; the current read model serves meanwhile</span>
          <button type="button" className="link-button" onClick={onCancel}>cancel</button>
        </div>
      </div>
    );
  }
  if (!running) {
    return (
      <div className="rebuild rebuild-finished small" data-testid={`rebuild-${progress.name}`}>
        <span className={progress.phase === 'done' ? 'text-ok' : 'text-danger'}>
          Last rebuild: <span className="strong">{progress.phase}</span>
          {progress.phase === 'done' || progress.position > 0 ? ` at position ${formatCount(progress.position)}` : ''}
        </span>
        {progress.error ? <span className="text-danger"> · {progress.error}</span> : null}
      </div>
    );
  }
  return (
    <div className="rebuild" data-testid={`rebuild-${progress.name}`}>
      <ProgressBar value={progress.position} max={progress.target} label={`Rebuild of ${progress.name}`} />
      <div className="rebuild-meta small">
        <span className="strong">{progress.phase}</span>
        <span>
          {formatCount(progress.position)} / {formatCount(progress.target)}
        </span>
        <span>{formatRate(progress.eventsPerSecond)}</span>
        {running ? <span>ETA {formatDuration(progress.etaSeconds)}</span> : null}
        {progress.error ? <span className="text-danger">{progress.error}</span> : null}
        {running ? <button type="button" className="link-button" onClick={onCancel}>cancel</button> : null}
      </div>
    </div>
  );
}

export function ProjectionRow({ status, rebuild, onRebuild, onChanged }: { status: ProjectionStatus; rebuild: RebuildProgress | null | undefined; onRebuild: () => void; onChanged: () => void }) {
  const { api } = useConsole();
  const [open, setOpen] = useState(false);
  const rebuilding = rebuild ? runningPhases.has(rebuild.phase) : false;
  return (
    <>
      <tr data-testid={`projection-${status.name}`}>
        <td>
          <div className="strong mono">{status.name}</div>
          {status.error ? <div className="text-danger small">{status.error}</div> : null}
        </td>
        <td><StateChip state={status.state} tone={stateTone[status.state]} /></td>
        <td className="num">
          v{status.version}
          {status.storedVersion !== null && status.storedVersion !== status.version ? <span className="muted small"> (stored v{status.storedVersion})</span> : null}
        </td>
        <td className="num">{formatCount(status.checkpoint)} <span className="muted">/ {formatCount(status.head)}</span></td>
        <td className={`num${status.lag > 0 ? ' text-warn' : ''}`}>{formatCount(status.lag)}</td>
        <td className="num">{formatRate(status.eventsPerSecond)}</td>
        <td>
          {status.deadLetters.length === 0 ? <span className="muted">none</span> : (
            <button type="button" className="link-button text-danger" onClick={() => setOpen(!open)}>
              {status.deadLetters.length} parked {open ? '▴' : '▾'}
            </button>
          )}
        </td>
        <td className="actions">
          <button type="button" className="button button-small" onClick={onRebuild} disabled={rebuilding}>
            {rebuild?.phase === 'queued' ? 'Queued…' : rebuilding ? 'Rebuilding…' : 'Rebuild'}
          </button>
        </td>
      </tr>
      {rebuild ? (
        <tr className="subrow">
          <td colSpan={8}><RebuildLine progress={rebuild} onCancel={() => void api.call('cancelRebuild', { projection: status.name })} /></td>
        </tr>
      ) : null}
      {open && status.deadLetters.length > 0 ? (
        <tr className="subrow">
          <td colSpan={8}><DeadLetters projection={status.name} letters={status.deadLetters} onChanged={onChanged} /></td>
        </tr>
      ) : null}
    </>
  );
}
