// Entry of the thread that checkpoints the log's WAL in the background (db/log/walCheckpointer.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { runWalCheckpointer, type WalCheckpointerOptions } from '../log/walCheckpointer.ts';

runWalCheckpointer(workerData as WalCheckpointerOptions, parentPort!);
