// local runtime: the whole platform in one Node process. The same handlers as the cloud, invoked by a gateway
// (HTTP API events), a poller (SQS event source) and a scheduler (EventBridge Scheduler), against dynalite and
// fauxqs. `npm start` (infra/local/start.ts) and the integration tests both start it through here.
//
// Three threads, as the cloud has separate machines: this one runs the gateway and the HTTP functions (ingest,
// admin); queue-engine-thread.ts runs fauxqs; back-end-thread.ts runs dynalite, the pollers, the scheduler and the
// functions they drive.
// One runtime per process: handlers read their configuration from process.env at first import, as in Lambda.
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { interceptLocalhostDns } from 'fauxqs';
import { bindInProcessQueueSends } from '../../functions/commons/work-queue.js';
import { comparableOrigin } from '../../shared/survey/allowed-origin.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { surveySchema } from '../../shared/survey/schema.js';
import { buildWidget } from '../../web-widget/build.js';
import { buildConsole } from '../../web-console/build.js';
import { consoleSecurityHeaders } from '../console-headers.js';
import { topology } from '../topology.js';
import type { BackEndOptions, QueueAddresses } from './back-end-thread.js';
import { demoPage, type AdminTokenOrigin } from './demo-page.js';
import { dynamoStorePath, queueJournalPath } from './data-folder.js';
import type { QueueEngineOptions } from './engines.js';
import { applyFunctionEnvironment, type EngineAddresses, type FunctionSettings } from './function-environment.js';
import { functionInvoker } from './function-invoker.js';
import { contentTypeOf, createGateway, type HttpHandler } from './gateway.js';
import { createPressureGauge, publishEventLoopUtilization } from './intake-pressure.js';
import type { InProcessSendRequest } from './queue-engine-thread.js';
import { startThread } from './threads.js';

export interface LocalRuntimeOptions extends FunctionSettings {
  dataDir: string;
  /** 0 picks a free port */
  port?: number;
  host?: string;
  /** overrides every schedule's rate (tests); the topology's rate otherwise */
  scheduleEveryMs?: number;
  /**
   * intake first (intake-pressure.ts): while the gateway's event loop is busy, the back end's pollers hold back and
   * the queue absorbs the burst; on Linux the back-end thread also runs at a lower priority (thread-priority.ts).
   * `npm start` does; tests need not
   */
  intakeFirst?: boolean;
  /**
   * the queue's write-ahead journal in the data folder (LOCAL_QUEUE_JOURNAL): `write` (default) survives a SIGKILL,
   * as the store does (dynalite's LevelDB hands its writes to the OS unsynced); `fsync` a power cut too, syncing the
   * journal on each commit and the store before the journal forgets; `off` keeps the queue in memory (a SIGKILL
   * loses what was not yet stored)
   */
  queueJournal?: 'fsync' | 'write' | 'off';
  /**
   * how this thread's HTTP functions send to the queues (LOCAL_QUEUE_TRANSPORT): `in-process` (default) hands the
   * messages to the queue engine's thread directly (journaled, then fauxqs's own SendMessageBatch action); `sdk` sends
   * them through the AWS SDK over HTTP, as the cloud does. The back end's functions always use the SDK.
   */
  queueTransport?: 'in-process' | 'sdk';
  /** where the admin token came from, for the demo page's terminal hints; default: the data folder's admin-token */
  adminTokenOrigin?: AdminTokenOrigin;
}

export async function startLocalRuntime(options: LocalRuntimeOptions) {
  const { port = 3000, host = '127.0.0.1' } = options;
  // the pinned SDK runs on Node 20; its notice about future releases is not for this process's users (worker threads
  // copy the environment when they start, so this comes first)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const settings: FunctionSettings = {
    adminToken: options.adminToken,
    surveyCacheSeconds: options.surveyCacheSeconds,
    logLevel: options.logLevel,
    linkKeys: options.linkKeys,
    rateLimitPerMinute: options.rateLimitPerMinute,
    rateLimitSurveyPerMinute: options.rateLimitSurveyPerMinute,
    // the printed console URL; on a port the OS picks (0) it is not known before the functions start: no task links
    consoleUrl: port ? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/console/` : undefined,
  };
  const journal = options.queueJournal ?? 'write';
  const queueThread = await startThread<QueueAddresses>(
    new URL('./queue-engine-thread.ts', import.meta.url),
    (journal === 'off'
      ? {}
      : { journalPath: queueJournalPath(options.dataDir), journalSync: journal === 'fsync', storePath: dynamoStorePath(options.dataDir) }) satisfies QueueEngineOptions,
  );
  const queues = queueThread.ready;
  const gatewayPressure = options.intakeFirst ? createPressureGauge() : undefined;
  const backEnd = await startThread<{ dynamoEndpoint: string }>(new URL('./back-end-thread.ts', import.meta.url), {
    ...settings,
    dataDir: options.dataDir,
    queues,
    scheduleEveryMs: options.scheduleEveryMs,
    gatewayPressure,
  } satisfies BackEndOptions);
  const engines: EngineAddresses = { dynamoEndpoint: backEnd.ready.dynamoEndpoint, ...queues };
  // fauxqs's queue URLs are http://sqs.<region>.localhost:<port>/…, and the SDK sends to the queue URL's host
  const restoreDns = interceptLocalhostDns();
  applyFunctionEnvironment(engines, settings);
  // before the handlers load: they pick their queue route when they start, as they read their configuration
  bindInProcessQueueSends(
    options.queueTransport === 'sdk'
      ? undefined
      : (queueUrl, bodies) => queueThread.ask<(string | undefined)[]>('sendMessages', { queueUrl, bodies } satisfies InProcessSendRequest),
  );
  const { invoke, warm } = functionInvoker();
  await warm([...new Set(topology.routes.map((route) => route.function))]);

  // the widget's loader (what the script tag fetches) and the survey UI it fetches when the widget opens
  const widget = await buildWidget();
  // CX console: its files under /console/, calling the API on this same origin (config.json: apiUrl "")
  const consoleFiles = await buildConsole();
  const consoleAssets: Record<string, { contentType: string; body: string }> = {
    // console.js, console.css and each view's chunk (index.html is /console/ itself)
    ...Object.fromEntries(Object.entries(consoleFiles).map(([name, body]) => [`/console/${name}`, { contentType: contentTypeOf(name), body }])),
    '/console/': { contentType: 'text/html; charset=utf-8', body: consoleFiles['index.html'] },
    '/console/config.json': { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ apiUrl: '' }) },
  };
  const demoHtml = demoPage(options.adminTokenOrigin ?? { from: 'data folder', dataDir: options.dataDir });
  const gateway = createGateway({
    routes: topology.routes,
    handlerFor: async (route) => ((event) => invoke(route.function, event)) as HttpHandler,
    staticPage: (request) => {
      const path = new URL(request.url ?? '/', 'http://local').pathname;
      if (path === '/') return { contentType: 'text/html; charset=utf-8', body: demoHtml };
      if (path === '/widget.js') return { contentType: 'text/javascript; charset=utf-8', body: widget.loader };
      if (path === '/widget-full.js') return { contentType: 'text/javascript; charset=utf-8', body: widget.full };
      // CX console (/console is the page too; its relative asset URLs resolve under /console/ only, so redirect there)
      if (path === '/console') return { contentType: 'text/html; charset=utf-8', body: '', status: 308, headers: { location: '/console/' } };
      const asset = consoleAssets[path];
      if (asset) return { ...asset, headers: consoleSecurityHeaders('') };
      return undefined;
    },
  });
  await new Promise<void>((resolve, reject) => {
    gateway.server.once('error', reject);
    gateway.server.listen(port, host, () => resolve());
  });
  const actualPort = (gateway.server.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;

  // the seed: a demo survey to answer, allowed from this server's own pages
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: engines.dynamoEndpoint }));
  const surveys = createDynamoSurveyStore(db, 'surveys');
  // as a survey keeps them: `http://localhost:80` is http://localhost
  const ownOrigins = [`http://localhost:${actualPort}`, `http://127.0.0.1:${actualPort}`].map(comparableOrigin);
  const demo = await surveys.get('demo');
  if (!demo) {
    await surveys.put(surveySchema.parse(demoSurvey(ownOrigins)));
  } else if (ownOrigins.some((origin) => !demo.allowedOrigins.includes(origin))) {
    // a restart on another PORT: the demo page's widget stays allowed (earlier local ports are replaced, not piled up)
    const others = demo.allowedOrigins.filter((origin) => !/^http:\/\/(localhost|127\.0\.0\.1):\d+$/.test(origin));
    await surveys.put({ ...demo, allowedOrigins: [...others, ...ownOrigins] });
  }
  db.destroy();
  const stopPublishing = gatewayPressure ? publishEventLoopUtilization(gatewayPressure) : () => undefined;

  let stopping: Promise<{ undelivered: number }> | undefined;
  return {
    url,
    port: actualPort,
    adminToken: options.adminToken,
    dynamoEndpoint: engines.dynamoEndpoint,
    queueEndpoint: queues.endpoint,
    /** messages the queue replayed from its journal at start (an earlier run stopped without draining) */
    replayed: queues.replayed ?? 0,
    queueUrls: engines.queueUrls,
    deadLetterQueueUrls: engines.deadLetterQueueUrls,
    triggerSchedule: (name: string) => backEnd.ask<void>('trigger', name),
    /** messages not yet consumed, across every event-source queue */
    backlog: () => backEnd.ask<number>('backlog'),
    /**
     * Graceful stop: refuse new requests, let in-flight ones finish, drain every queue into the store, stop the
     * schedules, close the engines (dynalite flushes LevelDB on close). Resolves with what could not be drained.
     */
    stop(drainTimeoutMs = 60_000): Promise<{ undelivered: number }> {
      stopping ??= (async () => {
        await gateway.close();
        // the gateway is idle from here: the back end drains at full speed
        stopPublishing();
        const drained = await backEnd.ask<{ undelivered: number }>('stop', drainTimeoutMs);
        await queueThread.ask('stop');
        await Promise.all([backEnd.terminate(), queueThread.terminate()]);
        bindInProcessQueueSends(undefined);
        restoreDns();
        return drained;
      })();
      return stopping;
    },
  };
}

export type LocalRuntime = Awaited<ReturnType<typeof startLocalRuntime>>;
