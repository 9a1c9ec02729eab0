// local runtime: the whole platform in one Node process. The same handlers as the cloud, invoked by a gateway
// (HTTP API events), a poller (SQS event source) and a scheduler (EventBridge Scheduler), against dynalite and
// fauxqs. `npm start` (infra/local/start.ts) and the integration tests both start it through here.
//
// One runtime per process: handlers read their configuration from process.env at first import, as in Lambda.
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { surveySchema } from '../../shared/survey/schema.js';
import { buildWidget } from '../../web-widget/build.js';
import { queueEnvName, tableEnvName, topology, type FunctionName, type QueueName, type TableName } from '../topology.js';
import { demoPage } from './demo-page.js';
import { startDynamoEngine, startQueueEngine } from './engines.js';
import { createGateway, type HttpHandler } from './gateway.js';
import { lambdaContext } from './lambda-context.js';
import { startQueuePoller, type SqsHandler } from './queue-poller.js';
import { startScheduler } from './scheduler.js';

export interface LocalRuntimeOptions {
  dataDir: string;
  adminToken: string;
  /** 0 picks a free port */
  port?: number;
  host?: string;
  /** overrides every schedule's rate (tests); the topology's rate otherwise */
  scheduleEveryMs?: number;
  surveyCacheSeconds?: number;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

export async function startLocalRuntime(options: LocalRuntimeOptions) {
  const { dataDir, adminToken, port = 3000, host = '127.0.0.1' } = options;
  // the pinned SDK runs on Node 20; its notice about future releases is not for this process's users
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const [dynamo, queues] = await Promise.all([startDynamoEngine(dataDir), startQueueEngine()]);

  // 1. the environment the cloud stack gives each function, pointed at the embedded engines
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    // the queue URLs' own host, so the SQS client's endpoint and the queue URL agree
    AWS_ENDPOINT_URL_SQS: new URL(queues.queueUrls.responses).origin,
    SENTIMENT_PROVIDER: 'local',
    FEEDBACK_ADMIN_TOKEN: adminToken,
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
    POWERTOOLS_SERVICE_NAME: 'feedback-local',
    SURVEY_CACHE_SECONDS: String(options.surveyCacheSeconds ?? 2),
  });
  for (const table of Object.keys(topology.tables) as TableName[]) process.env[tableEnvName(table)] = table;
  for (const queue of Object.keys(topology.queues) as QueueName[]) process.env[queueEnvName(queue)] = queues.queueUrls[queue];

  // 2. handlers, imported on first use exactly as Lambda cold-starts them
  const handlers = new Map<FunctionName, Promise<AnyHandler>>();
  const handlerOf = (name: FunctionName): Promise<AnyHandler> => {
    let loaded = handlers.get(name);
    if (!loaded) {
      const entry = new URL(`../../${topology.functions[name].entry}`, import.meta.url).href;
      loaded = import(entry).then((module: { handler: AnyHandler }) => module.handler);
      handlers.set(name, loaded);
    }
    return loaded;
  };
  const invoke = async (name: FunctionName, event: unknown) =>
    (await handlerOf(name))(event, lambdaContext(name, topology.functions[name].timeoutSeconds));

  // 3. the seed: a demo survey to answer, allowed from this server's own pages
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint }), { marshallOptions: { removeUndefinedValues: true } });
  const widgetScript = await buildWidget();

  // 4. the gateway
  const gateway = createGateway({
    routes: topology.routes,
    handlerFor: async (route) => ((event) => invoke(route.function, event)) as HttpHandler,
    staticPage: (request) => {
      const path = new URL(request.url ?? '/', 'http://local').pathname;
      if (path === '/') return { contentType: 'text/html; charset=utf-8', body: demoPage() };
      if (path === '/widget.js') return { contentType: 'text/javascript; charset=utf-8', body: widgetScript };
      return undefined;
    },
  });
  await new Promise<void>((resolve, reject) => {
    gateway.server.once('error', reject);
    gateway.server.listen(port, host, () => resolve());
  });
  const actualPort = (gateway.server.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;

  const surveys = createDynamoSurveyStore(db, 'surveys');
  const ownOrigins = [`http://localhost:${actualPort}`, `http://127.0.0.1:${actualPort}`];
  const demo = await surveys.get('demo');
  if (!demo) {
    await surveys.put(surveySchema.parse(demoSurvey(ownOrigins)));
  } else if (ownOrigins.some((origin) => !demo.allowedOrigins.includes(origin))) {
    // a restart on another PORT: the demo page's widget stays allowed (earlier local ports are replaced, not piled up)
    const others = demo.allowedOrigins.filter((origin) => !/^http:\/\/(localhost|127\.0\.0\.1):\d+$/.test(origin));
    await surveys.put({ ...demo, allowedOrigins: [...others, ...ownOrigins] });
  }

  // 5. event sources and schedules
  const sqs = new SQSClient({});
  const pollers = topology.eventSources.map((source) =>
    startQueuePoller({
      sqs,
      queueUrl: queues.queueUrls[source.queue],
      queueArn: queues.queueArns[source.queue],
      handler: ((event) => invoke(source.function, event)) as SqsHandler,
      batchSize: source.batchSize,
      maxBatchingWindowMs: source.maxBatchingWindowSeconds * 1000,
      concurrency: source.maxConcurrency,
    }),
  );
  const scheduler = startScheduler(
    topology.schedules.map((schedule) => ({
      name: schedule.name,
      everyMs: options.scheduleEveryMs ?? schedule.everyMinutes * 60_000,
      run: () => invoke(schedule.function, { source: 'local.scheduler', schedule: schedule.name, time: new Date().toISOString() }),
    })),
    () => undefined,
  );

  let stopping: Promise<{ undelivered: number }> | undefined;
  return {
    url,
    port: actualPort,
    adminToken,
    dynamoEndpoint: dynamo.endpoint,
    queueUrls: queues.queueUrls,
    deadLetterQueueUrls: queues.deadLetterQueueUrls,
    invoke,
    triggerSchedule: (name: string) => scheduler.trigger(name),
    /** messages not yet consumed, across every event-source queue */
    backlog: async () => (await Promise.all(pollers.map((p) => p.backlog()))).reduce((a, b) => a + b, 0),
    /**
     * Graceful stop: refuse new requests, let in-flight ones finish, drain every queue into the store, stop the
     * schedules, close the engines (dynalite flushes LevelDB on close). Resolves with what could not be drained.
     */
    stop(drainTimeoutMs = 60_000): Promise<{ undelivered: number }> {
      stopping ??= (async () => {
        await gateway.close();
        const deadline = Date.now() + drainTimeoutMs;
        const backlog = async () => (await Promise.all(pollers.map((p) => p.backlog()))).reduce((a, b) => a + b, 0);
        let undelivered = await backlog();
        while (undelivered > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          undelivered = await backlog();
        }
        await Promise.all(pollers.map((p) => p.stop()));
        await scheduler.stop();
        sqs.destroy();
        db.destroy();
        await Promise.all([queues.stop(), dynamo.stop()]);
        return { undelivered };
      })();
      return stopping;
    },
  };
}

export type LocalRuntime = Awaited<ReturnType<typeof startLocalRuntime>>;
