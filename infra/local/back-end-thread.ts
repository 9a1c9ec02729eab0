// local runtime, back-end thread: dynalite and the functions nobody waits on over HTTP, driven by the SQS
// event-source pollers and the scheduler. Sentiment scoring and LevelDB writes run here, beside the gateway's thread
// rather than in front of its requests, as the consumer Lambdas and DynamoDB are separate machines in the cloud.
import { SQSClient } from '@aws-sdk/client-sqs';
import { interceptLocalhostDns } from 'fauxqs';
import { MAX_EVENT_BYTES } from '../lambda-quotas.js';
import { topology } from '../topology.js';
import { startDynamoEngine, type QueueEngine } from './engines.js';
import { applyFunctionEnvironment, type FunctionSettings } from './function-environment.js';
import { functionInvoker } from './function-invoker.js';
import { gatewayBusy } from './intake-pressure.js';
import { startQueuePoller, type SqsHandler } from './queue-poller.js';
import { startScheduler } from './scheduler.js';
import { lowerPriorityOfThisThread } from './thread-priority.js';
import { serveThread } from './threads.js';

export type QueueAddresses = Omit<QueueEngine, 'stop'>;

export interface BackEndOptions extends FunctionSettings {
  dataDir: string;
  queues: QueueAddresses;
  /** overrides every schedule's rate (tests); the topology's rate otherwise */
  scheduleEveryMs?: number;
  /**
   * intake first: the gateway's event-loop gauge (intake-pressure.ts); the pollers hold back while it reads busy, and
   * this thread runs at a lower priority (thread-priority.ts)
   */
  gatewayPressure?: SharedArrayBuffer;
}

await serveThread(async (options: BackEndOptions) => {
  const { queues } = options;
  const restoreDns = interceptLocalhostDns();
  const dynamo = await startDynamoEngine(options.dataDir);
  applyFunctionEnvironment({ dynamoEndpoint: dynamo.endpoint, ...queues }, options);
  const { invoke, warm } = functionInvoker();
  await warm([...new Set([...topology.eventSources, ...topology.schedules].map((driven) => driven.function))]);

  const sqs = new SQSClient({});
  const holdBackWhile = options.gatewayPressure ? gatewayBusy(options.gatewayPressure) : undefined;
  const pollers = topology.eventSources.map((source) =>
    startQueuePoller({
      sqs,
      queueUrl: queues.queueUrls[source.queue],
      queueArn: queues.queueArns[source.queue],
      handler: ((event) => invoke(source.function, event)) as SqsHandler,
      batchSize: source.batchSize,
      maxBatchingWindowMs: source.maxBatchingWindowSeconds * 1000,
      concurrency: source.maxConcurrency,
      holdBackWhile,
      maxEventBytes: MAX_EVENT_BYTES,
    }),
  );
  const scheduler = startScheduler(
    topology.schedules.map((schedule) => ({
      name: schedule.name,
      everyMs: options.scheduleEveryMs ?? schedule.everyMinutes * 60_000,
      run: () => invoke(schedule.function, { source: 'local.scheduler', schedule: schedule.name, time: new Date().toISOString() }),
    })),
    // the next run retries; the invoker logged the failure, as Lambda would
    () => undefined,
  );
  // after its start (dynalite's tables, the functions' cold starts), which the runtime's `ready` waits for
  if (options.gatewayPressure) lowerPriorityOfThisThread();
  const backlog = async () => (await Promise.all(pollers.map((p) => p.backlog()))).reduce((a, b) => a + b, 0);

  return {
    ready: { dynamoEndpoint: dynamo.endpoint },
    operations: {
      /** messages not yet consumed, across every event-source queue */
      backlog,
      trigger: (schedule: string) => scheduler.trigger(schedule),
      /** drains every event-source queue into the store, stops the schedules, closes dynalite (flushing LevelDB) */
      async stop(drainTimeoutMs: number): Promise<{ undelivered: number }> {
        const deadline = Date.now() + drainTimeoutMs;
        let undelivered = await backlog();
        while (undelivered > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          undelivered = await backlog();
        }
        await Promise.all(pollers.map((p) => p.stop()));
        await scheduler.stop();
        sqs.destroy();
        await dynamo.stop();
        restoreDns();
        return { undelivered };
      },
    },
  };
});
