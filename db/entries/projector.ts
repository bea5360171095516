// Projector entry, in a worker thread or a process of its own: follows the log into one read model,
// rebuilds one into a fresh file, verifies one against a scratch rebuild, or verifies the log.
import { follow } from '../projector/jobs/follow.ts';
import type { ProjectorWorkerData } from '../projector/messages.ts';
import { runRebuildJob } from '../projector/jobs/rebuild.ts';
import { runVerifyJob } from '../projector/jobs/verify.ts';
import { runVerifyLogJob } from '../projector/jobs/verifyLog.ts';
import { projectionByName } from '../projections/index.ts';
import { runAsBackgroundJob } from '../runtime/backgroundPriority.ts';
import { connectToParent } from '../runtime/parentLink.ts';

const parent = connectToParent();
const data = parent.data as ProjectorWorkerData;
// Followers keep the read models fresh and stay at normal priority; one-shot jobs give way to answers.
if (data.mode !== 'follow') runAsBackgroundJob();
if (data.mode === 'verifyLog') runVerifyLogJob(data, parent);
else if (data.mode === 'follow') void follow(data, projectionByName(data.name), parent);
else if (data.mode === 'rebuild') void runRebuildJob(data, projectionByName(data.name), parent);
else void runVerifyJob(data, projectionByName(data.name), parent);
