// Projector entry, in a worker thread or a process of its own: follows the log into one read model,
// rebuilds one into a fresh file, or verifies one against a scratch rebuild.
import { follow } from '../projector/follow.ts';
import type { ProjectorWorkerData } from '../projector/messages.ts';
import { connectToParent } from '../runtime/parentLink.ts';
import { runRebuildJob } from '../projector/rebuildJob.ts';
import { runVerifyJob } from '../projector/verifyJob.ts';
import { projectionByName } from '../projections/index.ts';

const parent = connectToParent();
const data = parent.data as ProjectorWorkerData;
const projection = projectionByName(data.name);
if (data.mode === 'follow') void follow(data, projection, parent);
else if (data.mode === 'rebuild') void runRebuildJob(data, projection, parent);
else void runVerifyJob(data, projection, parent);
