// deploy-faithful runner: what `cdk deploy` would ship, run on this machine from the synthesized cloud assembly.
// Every AWS::Lambda::Function runs its own bundle in sandboxes of its own (function-pool.ts) with exactly its
// template environment; HTTP routes come from the template's API Gateway routes and integrations, queue consumers
// from its event source mappings, schedules from its Scheduler schedules; every AWS call is checked against the
// caller's role (aws-endpoint.ts). Nothing here reads infra/topology.ts: a binding, grant, route or mapping missing
// from the template is missing here too.
//
// 1. read the assembly and resolve it against a local AWS endpoint
// 2. create the template's tables (dynalite) and queues (fauxqs, in memory), generate its secrets
// 3. check what AWS checks when it wires things up: API Gateway's, the event sources' and the schedules' permissions
// 4. serve the routes, poll the queues, run the schedules, and the console's distribution on an origin of its own
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { buildApp } from 'fauxqs';
import { ensureTable, startDynamoEngine } from '../local/engines.js';
import { contentTypeOf, createGateway, HTTP_API_MAX_BODY_BYTES, type HttpHandler } from '../local/gateway.js';
import { compileViewerRequest } from './viewer-request.js';
import { startConsoleSite } from './console-site.js';
import { localOrigin } from './local-origin.js';
import { startQueuePoller, type SqsHandler } from '../local/queue-poller.js';
import { startScheduler } from '../local/scheduler.js';
import { startAwsEndpoint, type Caller, type Denial } from './aws-endpoint.js';
import { ACCOUNT, readDeployedShape, REGION, type FunctionResource, type TableResource } from './cloud-assembly.js';
import { MAX_EVENT_BYTES } from '../lambda-quotas.js';
import { createFaultPlan, LAMBDA_SERVICE_CALLER, type CallFault, type SandboxDeath } from './fault-plan.js';
import { createFunctionPool, InvocationError, type FunctionPool } from './function-pool.js';
import { decide } from './iam.js';
import { createSecretsStore } from './secrets-service.js';

export interface DeployedRunnerOptions {
  /** the synthesized cloud assembly (cdk.out) */
  assemblyDir: string;
  /** dynalite's tables and the generated secrets are kept here */
  dataDir: string;
  /** 0 picks a free port */
  port?: number;
  /** the console distribution's port, its origin standing for the distribution's https one; 0 (default) picks a free port */
  consolePort?: number;
  host?: string;
  /** secret values by logical-id prefix, e.g. { AdminToken: '…' } (tests); generated otherwise */
  secrets?: Record<string, string>;
  /** `timers` (default): each schedule at its rate; `manual`: only when triggered (tests) */
  schedules?: 'timers' | 'manual';
  /**
   * a failed message comes back after this many seconds instead of its queue's visibility timeout (minutes): the
   * one departure from the template, for tests that watch redrives to a DLQ
   */
  failedMessageRetrySeconds?: number;
  /**
   * tests only, departures from the template by function (display name): a shorter Timeout (a run lease held by a
   * killed run expires at its deadline), extra environment variables
   */
  functionOverrides?: Record<string, { timeoutSeconds?: number; environment?: Record<string, string> }>;
  /** each line a function logs (its display name first); default: dropped */
  onLog?: (functionName: string, line: string) => void;
}

const FAUXQS_HOST = `sqs.${REGION}.localhost:4566`;
/** the access key of the Lambda service itself (the event source pollers), which IAM does not check locally */
const LAMBDA_SERVICE_KEY = 'ASIALOCALLAMBDASERVICE';

const INTEGRATION_TIMED_OUT = Symbol('the integration timed out');

/**
 * the address API Gateway sees a request come from behind the distribution: a CloudFront server's (one of its
 * origin-facing ranges), shared by every viewer that edge serves, never the viewer's
 */
export const EDGE_SERVER_ADDRESS = '130.176.0.1';

const apiGatewayAnswer = (statusCode: number, message: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message }),
});

/** `rate(1 minute)`, `rate(15 minutes)`, `rate(2 hours)`, `rate(1 day)` → milliseconds */
export function rateMs(expression: string): number {
  const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!match) throw new Error(`schedule expression ${expression}: only rate(…) expressions are run locally`);
  return Number(match[1]) * { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2] as 'minute' | 'hour' | 'day'];
}

export async function startDeployedRunner(options: DeployedRunnerOptions) {
  const { port = 0, host = '127.0.0.1' } = options;
  mkdirSync(options.dataDir, { recursive: true });
  const aws = await startAwsEndpoint();
  // the console's origin and the API's are known before the templates are read: what names their distributions' URLs
  // (the console's task links, CORS, minted email links) names them
  const consoleSite = await startConsoleSite({ port: options.consolePort ?? 0, host });
  // until the gateway takes its requests over: what API Gateway answers a request it cannot serve yet
  const apiServer = createServer((_, response) => {
    response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    response.end(JSON.stringify({ message: 'Service Unavailable' }));
  });
  const { shape, api } = await (async () => {
    try {
      await new Promise<void>((resolve, reject) => {
        apiServer.once('error', reject);
        apiServer.listen(port, host, () => resolve());
      });
      const api = localOrigin(host, (apiServer.address() as AddressInfo).port);
      // only loopback origins stand in: the functions take plain http on a loopback host only
      const standIns = api.loopback && consoleSite.loopback ? { consoleOrigin: consoleSite.origin, apiOrigin: api.origin } : {};
      return { shape: readDeployedShape(options.assemblyDir, aws.endpoint, standIns), api };
    } catch (error) {
      apiServer.close();
      void consoleSite.close();
      void aws.close();
      throw error;
    }
  })();
  /** what AWS would refuse when it wires things up, or where the wiring is missing: each makes a path fail */
  const problems: string[] = [];
  const denials: Denial[] = [];

  // 2. tables, queues, secrets
  const dynamo = await startDynamoEngine(options.dataDir, { tables: (endpoint) => createTemplateTables(endpoint, shape.tables, options.dataDir) });
  const fauxqs = buildApp({ logger: false, host: 'localhost' });
  await fauxqs.ready();
  const sqsInject = async (target: string, body: Record<string, unknown>) => {
    const reply = await fauxqs.inject({
      method: 'POST',
      url: '/',
      headers: { host: FAUXQS_HOST, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
      payload: JSON.stringify(body),
    });
    return { status: reply.statusCode, body: reply.body };
  };
  const fauxqsUrlOf = new Map<string, string>();
  const fauxqsArnOf = new Map<string, string>();
  for (const queue of shape.queues) {
    const created = JSON.parse(
      (await sqsInject('AmazonSQS.CreateQueue', { QueueName: queue.name, Attributes: { VisibilityTimeout: String(queue.visibilityTimeoutSeconds), ...(queue.retentionSeconds ? { MessageRetentionPeriod: String(queue.retentionSeconds) } : {}) } })).body,
    ) as { QueueUrl: string };
    fauxqsUrlOf.set(queue.name, created.QueueUrl);
    const attributes = JSON.parse((await sqsInject('AmazonSQS.GetQueueAttributes', { QueueUrl: created.QueueUrl, AttributeNames: ['QueueArn'] })).body) as { Attributes: { QueueArn: string } };
    fauxqsArnOf.set(queue.arn, attributes.Attributes.QueueArn);
  }
  for (const queue of shape.queues) {
    if (!queue.redrive) continue;
    const deadLetterTargetArn = fauxqsArnOf.get(queue.redrive.deadLetterTargetArn);
    if (!deadLetterTargetArn) throw new Error(`queue ${queue.name}: its dead-letter queue ${queue.redrive.deadLetterTargetArn} is not in the templates`);
    await sqsInject('AmazonSQS.SetQueueAttributes', {
      QueueUrl: fauxqsUrlOf.get(queue.name),
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn, maxReceiveCount: queue.redrive.maxReceiveCount }) },
    });
  }
  const secrets = createSecretsStore(shape.secrets, { fixed: options.secrets, file: join(options.dataDir, 'secrets.json') });

  // the callers: one access key per function, as each Lambda calls AWS with its own role's session
  const statementsOf = (roleArn: string) => shape.policies.get(roleArn) ?? [];
  const callers = new Map<string, Caller>([[LAMBDA_SERVICE_KEY, { name: LAMBDA_SERVICE_CALLER, roleArn: 'service', statements: [{ Effect: 'Allow', Action: ['sqs:*'], Resource: ['*'] }] }]]);
  const keyOf = new Map<FunctionResource, string>();
  shape.functions.forEach((fn, index) => {
    const key = `ASIALOCAL${String(index).padStart(4, '0')}`;
    keyOf.set(fn, key);
    callers.set(key, { name: fn.name, roleArn: fn.roleArn, statements: statementsOf(fn.roleArn) });
  });
  // tests' faults: a sandbox that dies is the calling function's (its sandboxes mid-invocation)
  const faults = createFaultPlan();
  aws.serve({
    callers,
    dynamoEndpoint: dynamo.endpoint,
    sqs: { inject: sqsInject, urlOf: fauxqsUrlOf },
    queues: shape.queues,
    secrets,
    onDenied: (denial) => denials.push(denial),
    faults,
    onSandboxDeath: (caller) => poolByName(caller.name)?.crash(),
  });

  // each bundle is unpacked into a task root of its own, as Lambda unpacks it into /var/task: nothing around it (no
  // package.json "type", no node_modules) that the deployed function would not have
  const taskRoots = mkdtempSync(join(tmpdir(), 'feedback-tasks-'));
  const initFailures: { function: string; error: string }[] = [];
  const logs = new Map<string, string[]>();
  const pools = new Map<string, FunctionPool>();
  const deployed = new Map<string, FunctionResource>();
  /** a pool for the function's code, or for a stand-in bundle with its environment and role (`useBundle`) */
  const poolFor = (fn: FunctionResource, extraEnvironment: Record<string, string> = {}) => {
    const lines = logs.get(fn.displayName) ?? [];
    logs.set(fn.displayName, lines);
    return createFunctionPool(fn, {
      environment: { ...sandboxEnvironment(fn, keyOf.get(deployed.get(fn.arn)!)!, aws.endpoint), ...extraEnvironment },
      onLog: (line) => {
        lines.push(line);
        if (lines.length > 2_000) lines.shift();
        options.onLog?.(fn.displayName, line);
      },
      onInitError: (error) => initFailures.push({ function: fn.displayName, error: error.message }),
    });
  };
  const overrides = options.functionOverrides ?? {};
  for (const name of Object.keys(overrides)) {
    if (!shape.functions.some((fn) => fn.displayName === name)) throw new Error(`functionOverrides: no function ${name} in the templates`);
  }
  for (const bundled of shape.functions) {
    const override = overrides[bundled.displayName] ?? {};
    const fn = { ...bundled, assetDir: join(taskRoots, bundled.logicalId), timeoutSeconds: override.timeoutSeconds ?? bundled.timeoutSeconds };
    cpSync(bundled.assetDir, fn.assetDir, { recursive: true });
    deployed.set(fn.arn, bundled);
    pools.set(fn.arn, poolFor(fn, override.environment));
  }
  const poolByName = (name: string) => [...pools.values()].find((pool) => pool.function.name === name || pool.function.arn === name);
  const poolByDisplayName = (displayName: string) => {
    const pool = [...pools.values()].find((p) => p.function.displayName === displayName);
    if (!pool) throw new Error(`no function ${displayName} in the templates`);
    return pool;
  };

  // 3 + 4. HTTP: API Gateway invokes a route's function only if a resource-based permission lets it
  const routeArn = (method: string, path: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT}:${shape.apiId}/$default/${method}${path}`;
  const invokable = (functionArn: string, principal: string, sourceArn?: string) =>
    shape.invokePermissions.some(
      (permission) =>
        permission.principal === principal &&
        (permission.functionArn === functionArn || permission.functionArn === functionArn.split(':').pop()) &&
        (!permission.sourceArn || !sourceArn || decide([{ Effect: 'Allow', Action: ['*'], Resource: [permission.sourceArn] }], '*', sourceArn).allowed),
    );
  /** the routes whose function API Gateway may invoke, decided once: the template does not change while it runs */
  const invokableRoutes = new Set(
    shape.routes.filter((route) => {
      if (!pools.has(route.functionArn)) problems.push(`route ${route.method} ${route.path}: its integration's function ${route.functionArn} is not in the templates`);
      else if (!invokable(route.functionArn, 'apigateway.amazonaws.com', routeArn(route.method, route.path))) problems.push(`route ${route.method} ${route.path}: API Gateway has no permission to invoke ${route.functionArn}`);
      else return true;
      return false;
    }),
  );
  // the runner's URL stands for the API's public one, CloudFront's: what it adds to each request, API Gateway receives.
  // Its dynamic references are resolved as a deploy resolves them, once: a secret changed later reaches the header
  // only when the distribution is deployed again (redeployEdge)
  const resolvedEdgeHeaders = () =>
    Object.fromEntries(
      Object.entries(shape.edgeHeaders).map(([name, value]) => [
        name,
        value.replace(/\{\{resolve:secretsmanager:(.+?):SecretString:::\}\}/g, (_, arn: string) => secrets.valueOf(arn) ?? ''),
      ]),
    );
  let edgeHeaders = resolvedEdgeHeaders();
  // the files the API's distribution serves from a bucket (the widget's), as CloudFront would: read once, as deployed
  const edgeFiles = new Map(
    shape.edgeFiles.map(({ path, body, cacheControl }) => [path, { body, headers: (cacheControl ? { 'cache-control': cacheControl } : {}) as Record<string, string> }]),
  );
  const viewerRequest = shape.viewerRequestCode === undefined ? undefined : compileViewerRequest(shape.viewerRequestCode);
  // whether a distribution stands in front of the API (a custom origin: its headers, or its viewer-request function)
  const behindEdge = viewerRequest !== undefined || Object.keys(shape.edgeHeaders).length > 0;
  /**
   * what the hops add on the way to the function. CloudFront appends the viewer's address to X-Forwarded-For (after
   * any the viewer sent), and adds Via and X-Amz-Cf-Id (developerguide/RequestAndResponseBehaviorCustomOrigin.html,
   * "Client IP addresses" and the request headers table); API Gateway then sees CloudFront's server as the source
   * (the event's sourceIp), appends that address to X-Forwarded-For, and adds X-Forwarded-Proto, X-Forwarded-Port and
   * X-Amzn-Trace-Id. So neither sourceIp nor the first X-Forwarded-For entry is the viewer in the cloud.
   */
  const forwarded = (headers: Record<string, string>, viewerIp: string) => {
    const sourceIp = behindEdge ? EDGE_SERVER_ADDRESS : viewerIp;
    const chain = [headers['x-forwarded-for'], ...(behindEdge ? [viewerIp] : []), sourceIp].filter(Boolean).join(',');
    const edgeAdds = behindEdge ? { via: `2.0 ${randomBytes(16).toString('hex')}.cloudfront.net (CloudFront)`, 'x-amz-cf-id': randomBytes(42).toString('base64url') } : {};
    return {
      sourceIp,
      headers: {
        ...headers,
        ...edgeAdds,
        'x-forwarded-for': chain,
        'x-forwarded-proto': 'https',
        'x-forwarded-port': '443',
        'x-amzn-trace-id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
      },
    };
  };
  apiServer.removeAllListeners('request');
  const gateway = createGateway({
    server: apiServer,
    routes: shape.routes,
    staticPage: (request) => {
      const path = new URL(request.url ?? '/', 'http://local').pathname;
      const served = edgeFiles.get(path);
      return served ? { contentType: contentTypeOf(path), ...served } : undefined;
    },
    handlerFor: async (route) =>
      (async (event) => {
        const pool = pools.get(route.functionArn);
        if (!pool || !invokableRoutes.has(route)) return apiGatewayAnswer(500, 'Internal Server Error');
        try {
          // the edge's viewer-request function, then the headers its origin adds (CloudFront's order)
          const viewerIp = event.requestContext.http.sourceIp;
          const viewerHeaders = Object.fromEntries(Object.entries(event.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
          const edge = viewerRequest?.({ method: event.requestContext.http.method, uri: event.rawPath, headers: viewerHeaders, viewerIp });
          if (edge?.kind === 'answer') return { statusCode: edge.statusCode, headers: edge.headers, ...(edge.body !== undefined ? { body: edge.body } : {}) };
          const { headers, sourceIp } = forwarded({ ...(edge?.headers ?? viewerHeaders), ...edgeHeaders }, viewerIp);
          const invocation = pool.invoke({ ...event, headers, requestContext: { ...event.requestContext, apiId: shape.apiId, accountId: ACCOUNT, http: { ...event.requestContext.http, sourceIp } } }, 'sync');
          // API Gateway stops waiting at the integration's timeout and answers 503; the function runs on to its own
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<typeof INTEGRATION_TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(INTEGRATION_TIMED_OUT), route.timeoutMs)));
          const result = await Promise.race([invocation, timedOut]).finally(() => clearTimeout(timer));
          if (result === INTEGRATION_TIMED_OUT) {
            invocation.catch(() => undefined);
            return apiGatewayAnswer(503, 'Service Unavailable');
          }
          // a payload 2.0 answer without a statusCode is taken as a 200 JSON body, as API Gateway takes it
          if (result !== null && typeof result === 'object' && 'statusCode' in result) return result as APIGatewayProxyStructuredResultV2;
          return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result) };
        } catch (error) {
          if (error instanceof InvocationError && error.errorType === 'TooManyRequestsException') return apiGatewayAnswer(503, 'Service Unavailable');
          return apiGatewayAnswer(500, 'Internal Server Error');
        }
      }) as HttpHandler,
    noRoute: () => apiGatewayAnswer(404, 'Not Found'),
    integrationFailed: () => apiGatewayAnswer(500, 'Internal Server Error'),
    // past its payload quota API Gateway answers itself; under it, an event past Lambda's 6 MB is refused by the Invoke
    // (the pool's RequestEntityTooLargeException), which an HTTP API answers as any failed integration: 500 above
    maxBodyBytes: HTTP_API_MAX_BODY_BYTES,
    bodyTooLarge: () => apiGatewayAnswer(413, 'Request Entity Too Large'),
  });
  const url = api.origin;
  if (shape.console) consoleSite.serve(shape.console);
  else await consoleSite.close();

  // queue consumers: AWS refuses a mapping whose function's role cannot read the queue
  const pollerSqs = new SQSClient({ endpoint: aws.endpoint, region: REGION, credentials: { accessKeyId: LAMBDA_SERVICE_KEY, secretAccessKey: 'local' } });
  /** each enabled mapping: the function it invokes (display name), how to start its poller, and the one running */
  const eventSources: { displayName: string; start: () => ReturnType<typeof startQueuePoller>; poller?: ReturnType<typeof startQueuePoller> }[] = [];
  for (const mapping of shape.eventSourceMappings) {
    const queue = shape.queues.find((q) => q.arn === mapping.queueArn);
    const pool = poolByName(mapping.functionName);
    if (!queue || !pool) {
      problems.push(`event source ${mapping.logicalId}: ${queue ? `function ${mapping.functionName}` : `queue ${mapping.queueArn}`} is not in the templates`);
      continue;
    }
    const missing = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].filter((action) => !decide(statementsOf(pool.function.roleArn), action, queue.arn).allowed);
    if (missing.length > 0) {
      problems.push(`event source ${mapping.logicalId}: the role of ${pool.function.displayName} may not ${missing.join(', ')} on ${queue.name}`);
      continue;
    }
    if (!mapping.enabled) continue;
    const start = () =>
      startQueuePoller({
        sqs: pollerSqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        handler: ((event) => (pools.get(pool.function.arn) ?? pool).invoke(event, 'async')) as SqsHandler,
        batchSize: mapping.batchSize,
        maxBatchingWindowMs: mapping.maximumBatchingWindowSeconds * 1000,
        waitOutBatchingWindow: true,
        // the smallest concurrency Lambda gives an SQS event source is 2
        concurrency: mapping.maximumConcurrency ?? 2,
        retryDelaySeconds: options.failedMessageRetrySeconds ?? 'visibility-timeout',
        reportBatchItemFailures: mapping.reportBatchItemFailures,
        maxEventBytes: MAX_EVENT_BYTES,
      });
    eventSources.push({ displayName: pool.function.displayName, start, poller: start() });
  }

  // schedules: the scheduler assumes the schedule's role, which must allow invoking the target
  const schedules = shape.schedules.flatMap((schedule) => {
    const pool = poolByName(schedule.targetArn);
    if (!pool) {
      problems.push(`schedule ${schedule.logicalId}: its target ${schedule.targetArn} is not in the templates`);
      return [];
    }
    const allowed = decide(statementsOf(schedule.roleArn), 'lambda:InvokeFunction', schedule.targetArn).allowed;
    if (!allowed) problems.push(`schedule ${schedule.logicalId}: its role may not invoke ${pool.function.displayName}`);
    return [
      {
        name: schedule.logicalId,
        displayName: pool.function.displayName,
        everyMs: options.schedules === 'manual' || !schedule.enabled ? 2_147_483_647 : rateMs(schedule.expression),
        run: async () => {
          if (!allowed) throw new Error(`schedule ${schedule.logicalId}: AccessDenied invoking ${pool.function.name}`);
          // looked up at each run: useBundle may have replaced the pool
          return (pools.get(pool.function.arn) ?? pool).invoke(schedule.input ? JSON.parse(schedule.input) : {}, 'async');
        },
      },
    ];
  });
  let lastScheduleError: unknown;
  const scheduler = startScheduler(schedules, (_name, error) => {
    lastScheduleError = error;
  });

  const adminTokenSecret = shape.secrets.find((secret) => secret.logicalId.startsWith('AdminToken'));
  const queueByPrefix = (prefix: string) => {
    const queue = shape.queues.find((q) => q.name.split('-').pop()!.startsWith(prefix));
    if (!queue) throw new Error(`no queue whose logical id starts with ${prefix}`);
    return queue;
  };

  return {
    url,
    /** the CX console (its distribution's root), when the templates have one */
    consoleUrl: shape.console ? `${consoleSite.origin}/` : undefined,
    shape,
    awsEndpoint: aws.endpoint,
    adminToken: adminTokenSecret ? secrets.valueOf(adminTokenSecret.arn) : undefined,
    /** the admin token's entry in DATA_DIR/secrets.json (the secret's logical id) */
    adminTokenEntry: adminTokenSecret?.logicalId,
    /** what AWS would refuse at wiring time (routes, event sources, schedules): empty when the stack is whole */
    problems,
    /** AWS calls the functions' roles did not allow, in order */
    denials,
    /** sandboxes that could not start: a bundle that did not load, a configuration refused at cold start */
    initFailures,
    /** what a function logged (by its display name, e.g. "Process") */
    logsOf: (displayName: string) => logs.get(displayName) ?? [],
    coldStarts: () => Object.fromEntries([...pools.values()].map((pool) => [pool.function.displayName, pool.coldStarts()])),
    /** runs the schedule that targets this function (display name, e.g. "Rollup") now; resolves with its result */
    async triggerSchedule(displayName: string): Promise<unknown> {
      const schedule = schedules.find((s) => s.displayName === displayName);
      if (!schedule) throw new Error(`no schedule targets ${displayName}`);
      return schedule.run();
    },
    /** a queue's messages (visible, in flight, delayed), by the queue's logical id prefix (e.g. "ResponsesDeadLetterQueue") */
    async queueDepth(prefix: string): Promise<number> {
      const reply = await sqsInject('AmazonSQS.GetQueueAttributes', {
        QueueUrl: fauxqsUrlOf.get(queueByPrefix(prefix).name),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      });
      const { Attributes = {} } = JSON.parse(reply.body) as { Attributes?: Record<string, string> };
      return Object.values(Attributes).reduce((sum, value) => sum + Number(value), 0);
    },
    /** puts a raw message on a queue, as any producer could (a poison message, say) */
    async sendToQueue(prefix: string, body: string): Promise<void> {
      await sqsInject('AmazonSQS.SendMessage', { QueueUrl: fauxqsUrlOf.get(queueByPrefix(prefix).name), MessageBody: body });
    },
    lastScheduleError: () => lastScheduleError,
    /** what an operator's `aws secretsmanager put-secret-value` does to a template's secret (by logical id prefix) */
    putSecretValue(logicalIdPrefix: string, value: string): void {
      const secret = shape.secrets.find((s) => s.logicalId.startsWith(logicalIdPrefix));
      if (!secret) throw new Error(`no secret ${logicalIdPrefix} in the templates`);
      secrets.putValue(secret.arn, value);
    },
    /** a deploy of the distribution: its origin headers' secret references are resolved again */
    redeployEdge(): void {
      edgeHeaders = resolvedEdgeHeaders();
    },
    /** invokes a function as an event source or `aws lambda invoke --invocation-type Event` would (waits for a free sandbox) */
    invoke: (displayName: string, event: unknown): Promise<unknown> => poolByDisplayName(displayName).invoke(event, 'async'),
    /**
     * tests only: the next `times` calls of `operation` (e.g. `sqs:SendMessageBatch`) by `function` (display name; any
     * when absent) that match `when` are answered with `error`, as the service answers it (fault-plan.ts)
     */
    failAwsCalls({ function: displayName, ...fault }: Omit<CallFault, 'caller'> & { function?: string }): void {
      faults.failCalls({ ...fault, caller: displayName === undefined ? undefined : poolByDisplayName(displayName).function.name });
    },
    /**
     * tests only: once the `after`th matching call of `operation` by `function` is served, the function's sandboxes
     * that are mid-invocation die before reading its answer (with one invocation at a time, the one that made it)
     */
    dieAfterAwsCall({ function: displayName, ...death }: Omit<SandboxDeath, 'caller'> & { function: string }): void {
      faults.dieAfter({ ...death, caller: poolByDisplayName(displayName).function.name });
    },
    /** tests only: armed faults and deaths that have not struck yet */
    pendingFaults: () => faults.pending(),
    /** tests only: disarms every fault and death */
    clearFaults: () => faults.clear(),
    /**
     * what `aws lambda update-event-source-mapping --no-enabled` / `--enabled` does to the queue mapping that invokes
     * the function: disabled, it takes no new batch (resolves once its batches under way have ended); enabled, it polls
     * again, and what waited on the queue comes in full batches
     */
    async setEventSourceEnabled(displayName: string, enabled: boolean): Promise<void> {
      const sources = eventSources.filter((source) => source.displayName === displayName);
      if (sources.length === 0) throw new Error(`no enabled event source mapping invokes ${displayName}`);
      for (const source of sources) {
        if (enabled) source.poller ??= source.start();
        else {
          const running = source.poller;
          source.poller = undefined;
          await running?.stop();
        }
      }
    },
    /** retires a function's idle sandboxes: its next invocation, by any path, is a cold start */
    recycle(displayName: string): void {
      poolByDisplayName(displayName).recycle();
    },
    /**
     * runs another bundle (a folder with index.js) in the function's place, with its template environment, role,
     * routes, event sources and schedules, plus `extraEnvironment`; without a folder, its own bundle again. For the
     * cold-start benchmark, which measures a floor bundle and an external-SDK build the same way as the function.
     */
    useBundle(displayName: string, bundleDir?: string, extraEnvironment: Record<string, string> = {}): void {
      const current = poolByDisplayName(displayName);
      const own = join(taskRoots, deployed.get(current.function.arn)!.logicalId);
      current.stop();
      pools.set(current.function.arn, poolFor({ ...current.function, assetDir: bundleDir ?? own }, extraEnvironment));
    },
    async stop(): Promise<void> {
      await gateway.close();
      await consoleSite.close();
      await Promise.all(eventSources.map((source) => source.poller?.stop()));
      await scheduler.stop();
      for (const pool of pools.values()) pool.stop();
      pollerSqs.destroy();
      await fauxqs.close();
      await aws.close();
      await dynamo.stop();
      rmSync(taskRoots, { recursive: true, force: true });
    },
  };
}

export type DeployedRunner = Awaited<ReturnType<typeof startDeployedRunner>>;

/** the environment Lambda gives a sandbox: the template's variables, then the runtime's own, then the local endpoint */
function sandboxEnvironment(fn: FunctionResource, accessKeyId: string, endpoint: string): Record<string, string> {
  return {
    ...fn.environment,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: fn.assetDir,
    _HANDLER: fn.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: 'local',
    // what stands in for AWS itself; and the SDK's notice about Node 20 (Lambda runs 22) is not the function's output
    AWS_ENDPOINT_URL: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * the template's tables; one kept in the data folder from an earlier template that lacks an index the template now
 * declares is rebuilt with it, its items kept (as a deploy's update adds the index and DynamoDB builds it)
 */
async function createTemplateTables(endpoint: string, tables: TableResource[], dataDir: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (const table of tables) {
    const props = table.properties as Record<string, any>;
    const input: CreateTableCommandInput = {
      TableName: table.name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: props.AttributeDefinitions,
      KeySchema: props.KeySchema,
      ...(props.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: props.GlobalSecondaryIndexes.map((index: Record<string, unknown>) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection })) } : {}),
    };
    await ensureTable(client, dataDir, input);
  }
  client.destroy();
}
