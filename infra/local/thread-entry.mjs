// Entry of the local runtime's worker threads (threads.ts). Worker threads do not inherit tsx's loader from
// `node --import tsx`: register it here, then load the thread's TypeScript module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
