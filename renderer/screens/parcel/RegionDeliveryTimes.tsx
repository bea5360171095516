import { useQuery } from '../../lib/useQuery.ts';

const hours = (h: number) => `${h.toFixed(1)} h`;
const range = (min: number, max: number) => `${Math.round(min)}–${Math.round(max)} h`;

/** How weather has delayed deliveries to the region before: what the estimate above rests on. */
export function RegionDeliveryTimes({ region }: { region: string }) {
  const times = useQuery('region.deliveryTimes', { region });
  if (!times.data || times.data.byCondition.length === 0) return null;
  return (
    <div className="table-scroll region-times">
      <table className="table table-compact">
        <caption>Deliveries to {region} by weather</caption>
        <thead>
          <tr>
            <th scope="col">Weather</th>
            <th scope="col" className="num">Deliveries</th>
            <th scope="col" className="num">Average</th>
            <th scope="col" className="num">Range</th>
          </tr>
        </thead>
        <tbody>
          {times.data.byCondition.map((row) => (
            <tr key={row.condition} aria-current={row.condition === times.data?.condition ? 'true' : undefined}>
              <th scope="row">{row.condition}{row.condition === times.data?.condition ? ' (now)' : ''}</th>
              <td className="num">{row.deliveries}</td>
              <td className="num">{hours(row.averageHours)}</td>
              <td className="num nowrap">{range(row.minHours, row.maxHours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
