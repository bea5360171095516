import type { QueryName } from '../contract/index.ts';
import type { QueryDefinition } from './defineQuery.ts';
import { conflictsList } from './conflicts.ts';
import { depotsBoard } from './depots.ts';
import { eventGet, eventsList } from './events.ts';
import { parcelEta, parcelsList, parcelSummaryQuery, parcelTimelineQuery } from './parcels.ts';
import { regionDeliveryTimes } from './regions.ts';
import { routeCurrent } from './routes.ts';

/** Every query served from read models; 'projections.status' is answered by the runtime itself. */
export type ReadModelQueryName = Exclude<QueryName, 'projections.status'>;

export const queries: { readonly [Q in ReadModelQueryName]: QueryDefinition<Q> } = {
  'parcels.list': parcelsList,
  'parcel.summary': parcelSummaryQuery,
  'parcel.timeline': parcelTimelineQuery,
  'parcel.eta': parcelEta,
  'region.deliveryTimes': regionDeliveryTimes,
  'route.current': routeCurrent,
  'depots.board': depotsBoard,
  'events.list': eventsList,
  'event.get': eventGet,
  'conflicts.list': conflictsList,
};
