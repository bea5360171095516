import { useEffect, useRef, useState } from 'react';
import type { DepotBoardRow } from '../../../db/contract/index.ts';
import { DeliveryForm } from './DeliveryForm.tsx';
import { ExceptionForm } from './ExceptionForm.tsx';
import { RegisterParcelForm } from './RegisterParcelForm.tsx';
import { ScanForm } from './ScanForm.tsx';

const tabs = [
  { id: 'scan', label: 'Scan', key: '1' },
  { id: 'register', label: 'Register parcel', key: '2' },
  { id: 'delivery', label: 'Delivery attempt', key: '3' },
  { id: 'exception', label: 'Exception', key: '4' },
] as const;
type TabId = (typeof tabs)[number]['id'];

/** The four field forms behind tabs; Alt+1…4 switches and puts the cursor in the first field. */
export function FieldForms({ depot, depots }: { depot: DepotBoardRow; depots: readonly DepotBoardRow[] }) {
  const [tab, setTab] = useState<TabId>('scan');
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const match = event.altKey && tabs.find((item) => item.key === event.key);
      if (match) {
        event.preventDefault();
        setTab(match.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, [tab]);

  return (
    <section className="card field-forms">
      <div className="tabs" role="tablist" aria-label="Field forms">
        {tabs.map((item) => (
          <button key={item.id} type="button" role="tab" aria-selected={tab === item.id} className={`tab${tab === item.id ? ' active' : ''}`} onClick={() => setTab(item.id)} title={`Alt+${item.key}`} aria-keyshortcuts={`Alt+${item.key}`}>
            {item.label}
          </button>
        ))}
      </div>
      <div ref={panel} role="tabpanel" className="tab-panel">
        {tab === 'scan' ? <ScanForm depotId={depot.depotId} /> : null}
        {tab === 'register' ? <RegisterParcelForm originDepotId={depot.depotId} depots={depots} /> : null}
        {tab === 'delivery' ? <DeliveryForm /> : null}
        {tab === 'exception' ? <ExceptionForm /> : null}
      </div>
    </section>
  );
}
