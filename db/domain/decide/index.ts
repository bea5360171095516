import type { CommandType } from '../../contract/index.ts';
import type { Decider } from './decision.ts';
import { planRoute } from './planRoute.ts';
import { recordDeliveryAttempt } from './recordDeliveryAttempt.ts';
import { recordScan } from './recordScan.ts';
import { recordWeather } from './recordWeather.ts';
import { registerDepot } from './registerDepot.ts';
import { registerDriver } from './registerDriver.ts';
import { registerParcel } from './registerParcel.ts';
import { reportException } from './reportException.ts';
import { resolveConflict } from './resolveConflict.ts';
import { startRoute } from './startRoute.ts';

export const deciders: { [T in CommandType]: Decider<T> } = {
  RegisterDepot: registerDepot,
  RegisterDriver: registerDriver,
  RegisterParcel: registerParcel,
  RecordScan: recordScan,
  PlanRoute: planRoute,
  StartRoute: startRoute,
  RecordDeliveryAttempt: recordDeliveryAttempt,
  ReportException: reportException,
  RecordWeather: recordWeather,
  ResolveConflict: resolveConflict,
};

export { mainStreamOf, type Decision } from './decision.ts';
