import type { OperationName } from '../../contract/index.ts';
import { recordCommand } from './command.ts';
import { backup, exportLog, importLog } from './files.ts';
import type { OperationHandler } from './handler.ts';
import { cancelRebuild, deadLetter, rebuild, verify } from './projections.ts';
import { answerQuery, answerStatus } from './query.ts';
import { seed } from './seed.ts';
import { syncFleet, syncJoin, syncLeave, syncNow, syncStatus } from './sync.ts';

/** The core's answer to every operation of the contract: one that is missing here does not compile. */
export const handlers: { readonly [N in OperationName]: OperationHandler<N> } = {
  command: recordCommand,
  'parcels.list': answerQuery('parcels.list'),
  'parcel.summary': answerQuery('parcel.summary'),
  'parcel.timeline': answerQuery('parcel.timeline'),
  'parcel.eta': answerQuery('parcel.eta'),
  'region.deliveryTimes': answerQuery('region.deliveryTimes'),
  'route.current': answerQuery('route.current'),
  'depots.board': answerQuery('depots.board'),
  'events.list': answerQuery('events.list'),
  'event.get': answerQuery('event.get'),
  'projections.status': answerStatus,
  'conflicts.list': answerQuery('conflicts.list'),
  rebuild,
  cancelRebuild,
  verify,
  deadLetter,
  seed,
  backup,
  export: exportLog,
  import: importLog,
  'sync.status': syncStatus,
  'sync.join': syncJoin,
  'sync.now': syncNow,
  'sync.leave': syncLeave,
  'sync.fleet': syncFleet,
};
