import { useId } from 'react';
import type { FleetDevice, WaybillErrorBody } from '../../../db/contract/index.ts';
import { StateChip } from '../../components/StatusChip.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { countOf, formatCount, formatRelative, formatSkew, formatTime } from '../../lib/format.ts';
import type { FleetState } from '../../stores/fleet.ts';

function Standing({ device }: { device: FleetDevice }) {
  if (device.revokedAt) return <StateChip state="revoked" tone="muted" />;
  if (device.forked) return <StateChip state="fork" tone="danger" />;
  return <StateChip state="enrolled" tone="ok" />;
}

function summary(devices: readonly FleetDevice[]): string {
  const active = devices.filter((d) => !d.revokedAt);
  const parts = [countOf(active.length, 'device')];
  const forks = active.filter((d) => d.forked).length;
  const skewed = active.filter((d) => d.skewFlagged).length;
  const pending = active.reduce((sum, d) => sum + d.pending, 0);
  if (forks > 0) parts.push(countOf(forks, 'fork alarm'));
  if (skewed > 0) parts.push(`${countOf(skewed, 'clock')} off`);
  parts.push(pending > 0 ? `${countOf(pending, 'event')} still to come up` : 'nothing waiting to come up');
  if (active.length < devices.length) parts.push(`${formatCount(devices.length - active.length)} revoked`);
  return parts.join(' · ');
}

/** Offline is a normal day for a field laptop: the fleet is the server's to tell, so say so calmly, and keep the last list. */
function FleetUnreadable({ error, readAt, now, onRetry }: { error: WaybillErrorBody; readAt: number | null; now: number; onRetry: () => void }) {
  if (error.code !== 'UNAVAILABLE') return <div className="fleet-state"><ErrorState error={error} onRetry={onRetry} /></div>;
  return (
    <div className="fleet-state fleet-unreachable">
      <span role="status">
        The fleet comes from the sync server, which cannot be reached now.
        {readAt !== null ? ` Below is the list it gave ${formatRelative(new Date(readAt).toISOString(), now)}.` : ''}
      </span>
      <button type="button" className="button button-small" onClick={onRetry}>
        Ask again
      </button>
    </div>
  );
}

/** Every device on the server, for the office: when each was last seen, what it has sent and still holds, its clock, and alarms. */
export function FleetPanel({ fleet, joined, ownDeviceId, now }: { fleet: FleetState; joined: boolean; ownDeviceId: string | null; now: number }) {
  const titleId = useId();
  const devices = fleet.devices;
  return (
    <section className="card card-flush" aria-labelledby={titleId}>
      <div className="card-title-row fleet-head">
        <h2 className="card-title" id={titleId}>Fleet</h2>
        {devices ? <span className="muted small">{summary(devices)}</span> : null}
      </div>
      {!joined ? <Empty title="No fleet yet">Once this laptop joins a sync server, every device enrolled on it is listed here: when it was last seen, what it still has to send, its clock.</Empty> : null}
      {joined && fleet.error ? <FleetUnreadable error={fleet.error} readAt={devices ? fleet.readAt : null} now={now} onRetry={() => void fleet.reload()} /> : null}
      {joined && !devices && !fleet.error ? <Loading label="Asking the server…" /> : null}
      {joined && devices && devices.length > 0 ? (
        <div className="table-scroll">
          <table className="table fleet-table">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Last seen</th>
                <th scope="col" className="num" title="Events of the device the server holds">On the server</th>
                <th scope="col" className="num" title="Events the device said it recorded and has not sent yet">Waiting on the device</th>
                <th scope="col">Clock</th>
                <th scope="col">Standing</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((device) => (
                <tr key={device.deviceId} className={device.revokedAt ? 'fleet-revoked' : undefined} data-testid={`fleet-${device.name}`}>
                  <th scope="row" className="fleet-device">
                    <span className="strong">{device.name}</span>
                    {device.deviceId === ownDeviceId ? <span className="this-laptop">this laptop</span> : null}
                    <div className="muted small mono" title={`Enrolled ${formatTime(device.enrolledAt)}`}>{device.deviceId}</div>
                  </th>
                  <td title={device.lastSeenAt ? formatTime(device.lastSeenAt) : 'Never reached the server'}>{formatRelative(device.lastSeenAt, now)}</td>
                  <td className="num">{formatCount(device.acked)}</td>
                  <td className={`num${device.pending > 0 ? ' text-warn' : ''}`}>{formatCount(device.pending)}</td>
                  <td>
                    {device.skewFlagged ? (
                      <span className="text-danger" title="Further off the server's clock than it allows: this device's recorded times are suspect">
                        ⚠ {formatSkew(device.skewMs)}
                      </span>
                    ) : (
                      formatSkew(device.skewMs)
                    )}
                  </td>
                  <td>
                    <Standing device={device} />
                    {device.revokedAt ? <div className="muted small">since {formatTime(device.revokedAt)}</div> : null}
                    {device.forked && !device.revokedAt ? <div className="text-danger small">pushes refused until an administrator looks</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
