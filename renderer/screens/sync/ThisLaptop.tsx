import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { SyncStatus } from '../../../db/contract/index.ts';
import { useConsole } from '../../app/consoleContext.ts';
import { Icon } from '../../components/Icon.tsx';
import { StateChip } from '../../components/StatusChip.tsx';
import { countOf, formatCount, formatRelative, formatTime } from '../../lib/format.ts';
import { readCheckpoint, syncNowResult, writeCheckpoint, type Checkpoint } from './syncWords.ts';

function CheckpointLine({ label, checkpoint, testId }: { label: string; checkpoint: Checkpoint; testId: string }) {
  return (
    <div className={`checkpoint checkpoint-${checkpoint.tone}`} data-testid={testId}>
      <span className="checkpoint-mark" aria-hidden="true">{checkpoint.tone === 'ok' ? '✓' : '!'}</span>
      <div>
        <div className="checkpoint-label">{label}</div>
        <div className="checkpoint-text">{checkpoint.text}</div>
        <div className="checkpoint-detail">{checkpoint.detail}</div>
      </div>
    </div>
  );
}

function Stat({ label, children, title }: { label: string; children: ReactNode; title?: string }) {
  return (
    <div className="sync-stat" title={title}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** When something last happened, "4 min ago", with the moment itself on hover. */
const when = (iso: string | null, now: number) => ({ text: formatRelative(iso, now), title: iso ? formatTime(iso) : 'Not yet' });

function LeaveConfirmation({ status, onCancel, onLeft }: { status: SyncStatus; onCancel: () => void; onLeft: (status: SyncStatus) => void }) {
  const { api } = useConsole();
  const stay = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => stay.current?.focus(), []);
  const leave = async () => {
    setBusy(true);
    const answer = await api.call('sync.leave', {});
    setBusy(false);
    if (answer.ok) onLeft(answer.status);
    else setError(answer.error.message);
  };
  return (
    <div className="leave-confirm" role="alertdialog" aria-labelledby={titleId} aria-describedby={`${titleId}-detail`} onKeyDown={(event) => event.key === 'Escape' && onCancel()}>
      <strong id={titleId}>Leave {status.server}?</strong>
      <p id={`${titleId}-detail`}>
        This laptop stops syncing. Everything in its log stays here.
        {status.waiting > 0 ? ` ${countOf(status.waiting, 'event')} recorded here ${status.waiting === 1 ? 'is' : 'are'} not on the server yet and will stay only on this laptop.` : ''} Joining again takes a new one-time code.
      </p>
      {error ? <div className="form-error" role="alert">{error}</div> : null}
      <div className="leave-actions">
        <button type="button" className="button button-danger" onClick={() => void leave()} disabled={busy}>
          {busy ? 'Leaving…' : 'Leave the server'}
        </button>
        <button ref={stay} type="button" className="button" onClick={onCancel} disabled={busy}>
          Stay joined
        </button>
      </div>
    </div>
  );
}

type SyncRun = { state: 'idle' } | { state: 'running' } | { state: 'done'; text: string } | { state: 'failed'; text: string };

/** This laptop joined to a server: both checkpoints in words, the numbers behind them, Sync now and Leave. */
export function ThisLaptop({ status, now, onSynced }: { status: SyncStatus; now: number; onSynced: () => void }) {
  const { api, live } = useConsole();
  const [run, setRun] = useState<SyncRun>({ state: 'idle' });
  const [leaving, setLeaving] = useState(false);
  const leaveButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  const syncNow = async () => {
    setRun({ state: 'running' });
    const answer = await api.call('sync.now', {});
    if (answer.ok) {
      live.noteSync(answer.status);
      setRun({ state: 'done', text: syncNowResult(answer.pushed, answer.pulled) });
      onSynced();
    } else setRun({ state: 'failed', text: answer.error.message });
  };

  const contact = when(status.lastContactAt, now);
  const pushed = when(status.lastPushAt, now);
  const pulled = when(status.lastPullAt, now);
  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card-title-row">
        <div>
          <h2 className="card-title" id={titleId}>This laptop</h2>
          <div className="muted small laptop-identity">
            <span className="strong">{status.deviceName}</span> · syncs with <span className="mono">{status.server}</span>
          </div>
        </div>
        <div className="card-actions">
          <button type="button" className="button button-primary" onClick={() => void syncNow()} disabled={run.state === 'running'} aria-describedby={`${titleId}-run`}>
            <Icon name="sync" />
            {run.state === 'running' ? 'Syncing…' : 'Sync now'}
          </button>
          <button ref={leaveButton} type="button" className="button button-ghost" onClick={() => setLeaving(true)} aria-expanded={leaving}>
            Leave…
          </button>
        </div>
      </div>
      <div className="sync-run" id={`${titleId}-run`} role="status" data-testid="sync-run">
        {run.state === 'running' ? (
          <>
            <span className="spinner" aria-hidden="true" /> Sending what waits here, then fetching what the server has…
          </>
        ) : run.state === 'done' ? (
          <span className="form-done">✓ {run.text}</span>
        ) : null}
      </div>
      {run.state === 'failed' ? (
        <div className="form-error sync-run-error" role="alert">
          Sync now did not finish: {run.text}
        </div>
      ) : null}
      {leaving ? <LeaveConfirmation status={status} onCancel={() => {
            setLeaving(false);
            leaveButton.current?.focus();
          }} onLeft={(left) => live.noteSync(left)} /> : null}
      <div className="checkpoints">
        <CheckpointLine label="Sent to the server" checkpoint={writeCheckpoint(status)} testId="write-checkpoint" />
        <CheckpointLine label="Received from the server" checkpoint={readCheckpoint(status, now)} testId="read-checkpoint" />
      </div>
      <dl className="sync-stats">
        <Stat label="Connection">
          <StateChip state={status.online ? 'online' : 'offline'} tone={status.online ? 'ok' : 'danger'} />
        </Stat>
        <Stat label="Waiting to go up">
          <span className={status.waiting > 0 ? 'text-warn' : undefined}>{formatCount(status.waiting)}</span>
        </Stat>
        <Stat label="Behind the server">
          <span className={status.behind > 0 ? 'text-warn' : undefined}>{formatCount(status.behind)}</span>
        </Stat>
        <Stat label="Last contact" title={contact.title}>{contact.text}</Stat>
        <Stat label="Last push" title={pushed.title}>{pushed.text}</Stat>
        <Stat label="Last pull" title={pulled.title}>{pulled.text}</Stat>
      </dl>
    </section>
  );
}
