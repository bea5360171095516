import { useState } from 'react';
import type { VerifyReport } from '../../../db/contract/index.ts';
import { useConsole } from '../../app/consoleContext.ts';
import { StateChip } from '../../components/StatusChip.tsx';
import { formatCount } from '../../lib/format.ts';

/** Checks the log (gapless, guarded, hash chain) and rebuilds each read model aside to compare checksums. */
export function VerifyPanel() {
  const { api } = useConsole();
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const verify = async () => {
    setBusy(true);
    setError(null);
    const answer = await api.call('verify', {});
    setBusy(false);
    if (answer.ok) setReport(answer.report);
    else setError(answer.error.message);
  };
  return (
    <section className="card">
      <div className="card-title-row">
        <h2 className="card-title">Verify</h2>
        <button type="button" className="button" onClick={() => void verify()} disabled={busy}>{busy ? 'Verifying…' : 'Verify log and read models'}</button>
      </div>
      {error ? <div className="form-error" role="alert">{error}</div> : null}
      {!report && !error ? <p className="muted">Checks that the log is gapless and guarded, that its hash chain and every device's chain hold, and that every read model matches a fresh rebuild.</p> : null}
      {report ? (
        <div className="verify-report" data-testid="verify-report">
          <p>
            <StateChip state={report.ok ? 'all good' : 'problems found'} tone={report.ok ? 'ok' : 'danger'} /> Log head {formatCount(report.log.head)} · gapless {report.log.gapless ? 'yes' : 'no'} · guards {report.log.guards ? 'on' : 'off'} · integrity {report.log.integrity} · hash chain{' '}
            {report.log.chain.ok ? 'intact' : `broken at #${report.log.chain.firstBadPosition}`} · device chains{' '}
            {report.log.origins.ok ? `${formatCount(report.log.origins.devices)} intact` : `broken at #${report.log.origins.firstBadPosition}`}
          </p>
          <ul className="verify-list">
            {report.readModels.map((model) => (
              <li key={model.name}>
                <StateChip state={model.ok ? 'match' : 'differs'} tone={model.ok ? 'ok' : 'danger'} /> <span className="mono">{model.name}</span>{' '}
                <span className="muted small">at {formatCount(model.checkpoint)} · {model.checksum.slice(0, 12)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
