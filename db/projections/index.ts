import type { ReadModelName } from '../contract/index.ts';
import type { Projection } from '../readmodel/projection.ts';
import { conflictsProjection } from './conflicts/projection.ts';
import { depotBoard } from './depotBoard/projection.ts';
import { etaStats } from './etaStats/projection.ts';
import { eventHistory } from './eventHistory/projection.ts';
import { parcelSummary } from './parcelSummary/projection.ts';
import { parcelTimeline } from './parcelTimeline/projection.ts';
import { routeBoard } from './routeBoard/projection.ts';

/** Every read model, in the order the runtime starts them. */
export const projections: readonly Projection[] = [parcelSummary, parcelTimeline, routeBoard, depotBoard, etaStats, eventHistory, conflictsProjection];

export function projectionByName(name: ReadModelName): Projection {
  const projection = projections.find((p) => p.name === name);
  if (!projection) throw new Error(`There is no projection for read model ${name}.`);
  return projection;
}
