// local runtime: fauxqs's own SQS store and SendMessageBatch action, for the queue engine's in-process sends (the
// gateway thread's queue sends skip the HTTP hop: engines.ts). fauxqs exports only its app; these are the modules its
// HTTP router calls for every request, so an in-process send is handled by exactly the code an HTTP one is. They are
// loaded from the pinned package's files (1.9.x); a version that moves them fails at start and in local-engines.test.ts.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { buildApp } from 'fauxqs';

export interface SqsMessageView {
  body: string;
}

export interface FauxqsQueue {
  readonly name: string;
  getAttribute(name: string): string;
}

export interface FauxqsSqsStore {
  getQueue(url: string): FauxqsQueue | undefined;
  listQueues(): FauxqsQueue[];
  inspectQueue(name: string):
    | { messages: { ready: SqsMessageView[]; delayed: SqsMessageView[]; inflight: { message: SqsMessageView }[] } }
    | undefined;
}

export interface SendMessageBatchRequest {
  QueueUrl: string;
  Entries: { Id: string; MessageBody: string; MessageAttributes?: unknown; DelaySeconds?: number }[];
}

/** fauxqs's SendMessageBatch action: per-entry refusals in Failed; a refusal of the whole request throws (SqsError) */
export type SendMessageBatchAction = (request: SendMessageBatchRequest, store: FauxqsSqsStore) => { Failed: { Id: string; Code: string }[] };

const dist = dirname(fileURLToPath(import.meta.resolve('fauxqs')));
const load = (path: string) => import(pathToFileURL(join(dist, path)).href);

const [{ SqsStore }, { SnsStore }, { S3Store }, { sendMessageBatch }] = (await Promise.all([
  load('sqs/sqsStore.js'),
  load('sns/snsStore.js'),
  load('s3/s3Store.js'),
  load('sqs/actions/sendMessageBatch.js'),
])) as [{ SqsStore: new () => FauxqsSqsStore }, { SnsStore: new () => object }, { S3Store: new () => object }, { sendMessageBatch: SendMessageBatchAction }];

type FauxqsStores = NonNullable<NonNullable<Parameters<typeof buildApp>[0]>['stores']>;

/** the stores for fauxqs's buildApp({ stores }), and its SQS store's view for in-process calls */
export function createFauxqsStores(): { stores: FauxqsStores; sqsStore: FauxqsSqsStore } {
  const sqsStore = new SqsStore();
  return { stores: { sqsStore, snsStore: new SnsStore(), s3Store: new S3Store() } as unknown as FauxqsStores, sqsStore };
}

/** SQS's error code of a whole-request refusal (fauxqs's SqsError), or InternalError for anything else */
export const sqsErrorCode = (error: unknown): string =>
  typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'InternalError';

export { sendMessageBatch };
