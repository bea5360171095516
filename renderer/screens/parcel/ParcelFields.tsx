import type { ParcelSummaryRow } from '../../../db/contract/index.ts';
import { links } from '../../app/route.ts';
import { formatTime, statusLabels } from '../../lib/format.ts';

type Key = keyof Omit<ParcelSummaryRow, 'setBy' | 'lastPosition'>;

const groups: readonly { title: string; fields: readonly [Key, string, ((row: ParcelSummaryRow) => string)?][] }[] = [
  {
    title: 'Recipient',
    fields: [['recipientName', 'Name'], ['recipientPhone', 'Phone'], ['street', 'Street'], ['city', 'City'], ['postcode', 'Postcode']],
  },
  {
    title: 'Parcel',
    fields: [
      ['status', 'Status', (row) => statusLabels[row.status]],
      ['weightKg', 'Weight', (row) => `${row.weightKg} kg`],
      ['description', 'Description'],
      ['originDepotId', 'Origin depot'],
      ['destinationDepotId', 'Destination depot', (row) => `${row.destinationDepotId}${row.destinationRegion ? ` (${row.destinationRegion})` : ''}`],
      ['currentDepotId', 'Current depot'],
      ['attempts', 'Delivery attempts'],
      ['exceptions', 'Exceptions'],
      ['lastException', 'Last exception'],
    ],
  },
  {
    title: 'Times',
    fields: [
      ['registeredAt', 'Registered', (row) => formatTime(row.registeredAt)],
      ['promisedBy', 'Promised by', (row) => formatTime(row.promisedBy)],
      ['eta', 'ETA', (row) => formatTime(row.eta)],
      ['deliveredAt', 'Delivered', (row) => formatTime(row.deliveredAt)],
      ['updatedAt', 'Last change', (row) => formatTime(row.updatedAt)],
    ],
  },
];

/** Every summary field with the position of the event that last set it, one click from that event. */
export function ParcelFields({ parcel }: { parcel: ParcelSummaryRow }) {
  return (
    <section className="card">
      <h2 className="card-title">Summary</h2>
      <div className="field-groups">
        {groups.map((group) => (
          <div key={group.title} className="facts-group">
            <h3 className="facts-title">{group.title}</h3>
            <dl className="facts">
            {group.fields.map(([key, label, show]) => {
              const raw = parcel[key];
              const value = show ? show(parcel) : raw === null || raw === '' ? '—' : String(raw);
              const position = parcel.setBy[key];
              return (
                <div key={key} className="fact">
                  <dt>{label}</dt>
                  <dd className="with-set-by">
                    <span>{value}</span>
                    {position !== undefined ? (
                      <a className="set-by" href={links.event(position)} title={`Last set by event #${position}`}>
                        #{position}
                      </a>
                    ) : null}
                  </dd>
                </div>
              );
            })}
            </dl>
          </div>
        ))}
      </div>
    </section>
  );
}
