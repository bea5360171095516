import { useId, useMemo } from 'react';
import type { FleetDevice, QueryParams, WaybillErrorBody } from '../../../db/contract/index.ts';
import { useConsole, useSlice } from '../../app/consoleContext.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { Icon } from '../../components/Icon.tsx';
import { Empty, Loading } from '../../components/States.tsx';
import { useNow } from '../../lib/useNow.ts';
import { useQuery } from '../../lib/useQuery.ts';
import type { DeviceNamer } from './ConflictItem.tsx';
import { conflictPage, ConflictsPanel } from './ConflictsPanel.tsx';
import { FleetPanel } from './FleetPanel.tsx';
import { JoinForm } from './JoinForm.tsx';
import { problemAdvice, problemTitle } from './syncWords.ts';
import { ThisLaptop } from './ThisLaptop.tsx';
import { useFleet } from './useFleet.ts';

const openParams: QueryParams<'conflicts.list'> = { state: 'open', limit: conflictPage };

function ProblemBanner({ problem }: { problem: WaybillErrorBody }) {
  const serious = problem.code !== 'UNAVAILABLE';
  return (
    <section className={`refusal-banner sync-problem${serious ? ' refusal-danger' : ''}`} role="alert" data-testid="sync-problem">
      <Icon name="sync" />
      <div>
        <strong>{problemTitle(problem)}</strong>
        <p>{problem.message}</p>
        {problemAdvice(problem) ? <p>{problemAdvice(problem)}</p> : null}
      </div>
    </section>
  );
}

function namer(devices: readonly FleetDevice[] | null, ownDeviceId: string | null): DeviceNamer {
  const names = new Map((devices ?? []).map((device) => [device.deviceId, device.name]));
  return (deviceId) => {
    if (deviceId === null) return 'an unknown device';
    const name = names.get(deviceId);
    if (deviceId === ownDeviceId) return name ? `this laptop (${name})` : 'this laptop';
    return name ?? `device …${deviceId.slice(-12)}`;
  };
}

/** This laptop's sync (join, checkpoints, Sync now, leave), the conflicts waiting for a person, and the fleet. */
export function SyncScreen() {
  const { live } = useConsole();
  const status = useSlice(live.store, (state) => state.sync);
  const refusal = useSlice(live.store, (state) => state.syncRefusal);
  const now = useNow(5000);
  const joined = status?.joined === true;
  const fleet = useFleet(status ? status.joined : null);
  const open = useQuery('conflicts.list', openParams, { followHeadMs: 2000 });
  const ownDeviceId = status?.deviceId ?? null;
  const deviceName = useMemo(() => namer(fleet.devices, ownDeviceId), [fleet.devices, ownDeviceId]);
  const laptopId = useId();

  return (
    <div className="screen">
      <PageHeader title="Sync" subtitle="What this laptop has sent and received, conflicts to settle, and every device of the fleet" freshness={open.freshness} onRefresh={() => void Promise.all([open.reload(), joined ? fleet.reload() : null])} />
      {status?.problem ? <ProblemBanner problem={status.problem} /> : null}
      {refusal ? (
        <section className="card">
          <Empty title="This data folder cannot sync">{refusal.message}</Empty>
        </section>
      ) : !status ? (
        <section className="card">
          <Loading label="Reading how sync stands…" />
        </section>
      ) : joined ? (
        <ThisLaptop status={status} now={now} onSynced={() => void fleet.reload()} />
      ) : (
        <section className="card" aria-labelledby={laptopId}>
          <h2 className="card-title" id={laptopId}>
            This laptop does not sync yet
          </h2>
          <JoinForm />
        </section>
      )}
      <ConflictsPanel open={open} deviceName={deviceName} />
      <FleetPanel fleet={fleet} joined={joined} ownDeviceId={ownDeviceId} now={now} />
    </div>
  );
}
