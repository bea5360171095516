import { useId, useState } from 'react';
import type { ConflictOutcome, ConflictRow } from '../../../db/contract/index.ts';
import { links } from '../../app/route.ts';
import { Field, inputProps } from '../../components/Field.tsx';
import { StateChip } from '../../components/StatusChip.tsx';
import { formatTime } from '../../lib/format.ts';
import { useCommand } from '../../lib/useCommand.ts';
import { conflictKindLabels } from './syncWords.ts';

/** Says who a device is: its name in the fleet, "this laptop", or a short id when the fleet is out of reach. */
export type DeviceNamer = (deviceId: string | null) => string;

function Side({ label, side, stands, deviceName }: { label: string; side: ConflictRow['first']; stands: boolean; deviceName: DeviceNamer }) {
  return (
    <div className={`conflict-side${stands ? ' conflict-side-stands' : ''}`}>
      <div className="conflict-side-head">
        <span className={`chip chip-plain chip-tone-${stands ? 'ok' : 'warn'}`}>{label}</span>
        <a href={links.event(side.position)} className="set-by" title={`Event #${side.position} in this laptop's log`}>
          #{side.position}
        </a>
      </div>
      <div className="strong">{side.type}</div>
      <div className="muted small">
        on {deviceName(side.deviceId)}
        {side.actor ? ` · by ${side.actor}` : ''} · {formatTime(side.recordedAt)}
      </div>
    </div>
  );
}

const outcomeWords: Record<ConflictOutcome, string> = { confirmed: 'Confirmed what the screens show', corrected: 'Closed after a correction' };

/** One conflict: what clashed, both events (which one stands), and the two ways a person closes it. */
export function ConflictItem({ conflict, deviceName, onResolved }: { conflict: ConflictRow; deviceName: DeviceNamer; onResolved: (position: number, said: string) => void }) {
  const command = useCommand(['note']);
  const [correcting, setCorrecting] = useState(false);
  const [note, setNote] = useState('');
  const titleId = useId();
  const noteId = `${titleId}-note`;

  const resolve = (outcome: ConflictOutcome) =>
    void command.send('ResolveConflict', { conflictId: conflict.conflictId, outcome, ...(outcome === 'corrected' ? { note: note.trim() } : {}) }, (position) => {
      const said = `${conflictKindLabels[conflict.kind]} (parcel ${conflict.parcelId}): ${outcome === 'confirmed' ? 'confirmed as the screens show it' : 'closed as corrected'}.`;
      onResolved(position, said);
      return said;
    });
  const correct = () => {
    if (note.trim() === '') return command.showFieldError('note', 'Say what you corrected, so the next person knows.');
    resolve('corrected');
  };

  return (
    <li className={`conflict conflict-${conflict.state}`} aria-labelledby={titleId} data-testid={`conflict-${conflict.conflictId}`}>
      <div className="conflict-head">
        <h3 className="conflict-title" id={titleId}>
          {conflictKindLabels[conflict.kind]}
        </h3>
        <StateChip state={conflict.state} tone={conflict.state === 'open' ? 'warn' : 'muted'} />
        <a href={links.parcel(conflict.parcelId)} className="conflict-parcel">
          parcel <span className="mono">{conflict.parcelId}</span>
        </a>
      </div>
      <p className="conflict-summary">{conflict.summary}</p>
      <div className="conflict-sides">
        <Side label="Stands" side={conflict.first} stands deviceName={deviceName} />
        <Side label="Broke the rule" side={conflict.second} stands={false} deviceName={deviceName} />
      </div>
      {conflict.resolution ? (
        <p className="conflict-resolution small">
          <span className="strong">{outcomeWords[conflict.resolution.outcome]}</span>
          {conflict.resolution.actor ? ` by ${conflict.resolution.actor}` : ''}
          {conflict.resolution.at ? `, ${formatTime(conflict.resolution.at)}` : ''}
          {conflict.resolution.note ? <span className="muted"> — “{conflict.resolution.note}”</span> : null}
        </p>
      ) : (
        <div className="conflict-actions">
          {correcting ? (
            <div className="conflict-correction">
              <Field id={noteId} label="What did you correct?" error={command.fieldErrors.note} hint="Record the correcting command first (a new label, a scan…), then close the conflict here.">
                <textarea {...inputProps(noteId, command.fieldErrors.note)} className="input" rows={2} maxLength={500} value={note} onChange={(e) => {
                    setNote(e.target.value);
                    if (command.fieldErrors.note) command.reset();
                  }} />
              </Field>
              <div className="conflict-buttons">
                <button type="button" className="button button-primary" onClick={correct} disabled={command.busy}>
                  {command.busy ? 'Sending…' : 'Close as corrected'}
                </button>
                <button type="button" className="button button-ghost" onClick={() => setCorrecting(false)} disabled={command.busy}>
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <div className="conflict-buttons">
              <button type="button" className="button" onClick={() => resolve('confirmed')} disabled={command.busy} title="What the screens show now is right: close the conflict as it is">
                {command.busy ? 'Sending…' : 'Confirm what the screens show'}
              </button>
              <button type="button" className="button button-ghost" onClick={() => setCorrecting(true)} disabled={command.busy}>
                I recorded a correction
              </button>
            </div>
          )}
          {command.formError ? <div className="form-error" role="alert">{command.formError}</div> : null}
        </div>
      )}
    </li>
  );
}
