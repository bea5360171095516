import { useState } from 'react';
import type { DeadLetter, ReadModelName } from '../../../db/contract/index.ts';
import { useConsole } from '../../app/consoleContext.ts';
import { links } from '../../app/route.ts';
import { formatTime } from '../../lib/format.ts';

/** Events a projection parked because its handler threw: retry them after a fix, or skip them for good. */
export function DeadLetters({ projection, letters, onChanged }: { projection: ReadModelName; letters: readonly DeadLetter[]; onChanged: () => void }) {
  const { api } = useConsole();
  const [error, setError] = useState<string | null>(null);
  const act = async (position: number, action: 'retry' | 'skip') => {
    const result = await api.call('deadLetter', { projection, position, action });
    setError(result.ok ? null : result.error.message);
    onChanged();
  };
  return (
    <div className="dead-letters">
      {error ? <div className="form-error" role="alert">{error}</div> : null}
      <table className="table table-compact">
        <tbody>
          {letters.map((letter) => (
            <tr key={letter.position}>
              <td><a href={links.event(letter.position)}>#{letter.position}</a></td>
              <td className="strong">{letter.type}</td>
              <td className="text-danger">{letter.error}</td>
              <td className="muted">{letter.attempts} attempt{letter.attempts === 1 ? '' : 's'} · {formatTime(letter.parkedAt)}</td>
              <td className="actions">
                <button type="button" className="button button-small" onClick={() => void act(letter.position, 'retry')}>Retry</button>
                <button type="button" className="button button-small button-ghost" onClick={() => void act(letter.position, 'skip')}>Skip</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
