// deploy-faithful runner: the AWS endpoint every sandbox's SDK talks to (AWS_ENDPOINT_URL). It tells who is calling
// from the request's SigV4 credential (each function has its own access key, as each Lambda has its role's session),
// checks the call against that function's role in the template (iam.ts), and only then serves it: DynamoDB and SQS
// by the embedded engines (dynalite, fauxqs), Secrets Manager and Comprehend locally. A call the role does not allow
// answers AccessDeniedException, as in AWS. Only AWS's JSON protocols are spoken (what SDK v3 uses for these four).
// A test may arm faults here (fault-plan.ts): an allowed call answered with the service's error, or a sandbox that
// dies once its call is served.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT, REGION, type PolicyStatement, type QueueResource } from './cloud-assembly.js';
import { comprehend } from './comprehend-service.js';
import type { FaultPlan } from './fault-plan.js';
import { decide } from './iam.js';
import type { SecretsStore } from './secrets-service.js';
import { ServiceError } from './service-error.js';

export interface Caller {
  /** for messages: the function's name */
  name: string;
  roleArn: string;
  statements: readonly PolicyStatement[];
}

export interface Denial {
  caller: string;
  action: string;
  resource: string;
}

export interface AwsEndpointOptions {
  /** access key id → caller; an unknown key is refused (UnrecognizedClientException) */
  callers: Map<string, Caller>;
  dynamoEndpoint: string;
  /** fauxqs's own request handler, and the URL it gave each queue (by queue name) */
  sqs: { inject: (target: string, body: Record<string, unknown>) => Promise<{ status: number; body: string }>; urlOf: Map<string, string> };
  queues: QueueResource[];
  secrets: SecretsStore;
  onDenied?: (denial: Denial) => void;
  /** tests only: errors answered instead of serving a call, and sandboxes that die after one (fault-plan.ts) */
  faults?: FaultPlan;
  /** the caller's sandbox dies now: its call was served, and it must not read the answer */
  onSandboxDeath?: (caller: Caller) => void;
}

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

function replyJson(response: ServerResponse, status: number, body: unknown, contentType: string): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(JSON.stringify(body));
}

function replyError(response: ServerResponse, error: ServiceError, contentType: string): void {
  response.writeHead(error.status, { 'content-type': contentType, 'x-amzn-errortype': error.code });
  response.end(JSON.stringify({ __type: `${error.typePrefix}${error.code}`, message: error.message, Message: error.message }));
}

const tableArn = (table: string) => (table.startsWith('arn:') ? table : `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`);

/** the IAM action of an SQS operation: the batch forms are authorised by their single forms */
const sqsAction = (operation: string) => `sqs:${operation.replace(/Batch$/, '')}`;

/**
 * Listens first (its address goes into the queue URLs functions are given), serves once `serve` has its options;
 * a call before that is refused.
 */
export async function startAwsEndpoint(): Promise<{ endpoint: string; serve(options: AwsEndpointOptions): void; close(): Promise<void> }> {
  let handle: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((request, response) => {
    if (handle) return void handle(request, response);
    replyError(response, new ServiceError('ServiceUnavailable', 'the local endpoint is starting', 503), 'application/x-amz-json-1.1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve(options) {
      handle = handlerFor(options);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function handlerFor(options: AwsEndpointOptions) {
  const { callers, queues, secrets } = options;
  const queueByName = new Map(queues.map((queue) => [queue.name, queue]));
  const queueOfUrl = (url: unknown) => queueByName.get(String(url ?? '').split('/').pop() ?? '');

  /** the (action, resources) pairs a call needs, as IAM evaluates them */
  function authorisation(service: string, operation: string, body: Record<string, unknown>): { action: string; resource: string }[] {
    switch (service) {
      case 'dynamodb': {
        const action = `dynamodb:${operation}`;
        if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') {
          return Object.keys((body.RequestItems ?? {}) as object).map((table) => ({ action, resource: tableArn(table) }));
        }
        if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
          return ((body.TransactItems ?? []) as Record<string, { TableName?: string }>[]).flatMap((item) =>
            Object.values(item).map((part) => ({ action: `dynamodb:${Object.keys(item)[0] === 'ConditionCheck' ? 'ConditionCheckItem' : `${Object.keys(item)[0]}Item`}`, resource: tableArn(String(part.TableName)) })),
          );
        }
        const table = tableArn(String(body.TableName ?? ''));
        return [{ action, resource: typeof body.IndexName === 'string' ? `${table}/index/${body.IndexName}` : table }];
      }
      case 'sqs': {
        const queue = operation === 'GetQueueUrl' ? queueByName.get(String(body.QueueName)) : queueOfUrl(body.QueueUrl);
        if (!queue) throw new ServiceError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
        return [{ action: sqsAction(operation), resource: queue.arn }];
      }
      case 'secretsmanager':
        return [{ action: `secretsmanager:${operation}`, resource: secrets.arnOf(String(body.SecretId ?? '')) ?? String(body.SecretId ?? '') }];
      case 'comprehend':
        return [{ action: `comprehend:${operation}`, resource: '*' }];
      default:
        throw new ServiceError('UnknownOperationException', `${service} is not served locally`);
    }
  }

  const forwardToDynalite = (request: IncomingMessage, body: Buffer, response: ServerResponse, served: () => void) =>
    new Promise<void>((resolve, reject) => {
      const target = new URL(options.dynamoEndpoint);
      const outgoing = httpRequest(
        { host: target.hostname, port: target.port, method: 'POST', path: '/', headers: { ...request.headers, host: target.host } },
        (reply) => {
          served();
          response.writeHead(reply.statusCode ?? 500, reply.headers);
          reply.pipe(response);
          reply.on('end', resolve);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const contentType = String(request.headers['content-type'] ?? 'application/x-amz-json-1.1');
    try {
      const credential = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization ?? ''));
      const caller = credential ? callers.get(credential[1]!) : undefined;
      if (!credential || !caller) throw new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      const [prefix, operation] = String(request.headers['x-amz-target'] ?? '').split('.') as [string, string | undefined];
      const service = credential[2]!;
      if (!operation) throw new ServiceError('UnknownOperationException', `only the JSON protocols are served (${service}, no X-Amz-Target)`);
      const raw = await readBody(request);
      const body = (raw.length ? JSON.parse(raw.toString('utf8')) : {}) as Record<string, unknown>;

      for (const { action, resource } of authorisation(service, operation, body)) {
        const decision = decide(caller.statements, action, resource);
        if (!decision.allowed) {
          options.onDenied?.({ caller: caller.name, action, resource });
          const session = `arn:aws:sts::${ACCOUNT}:assumed-role/${caller.roleArn.split('/').pop()}/${caller.name}`;
          const because = decision.reason === 'explicit deny' ? 'with an explicit deny in an identity-based policy' : 'because no identity-based policy allows the ' + action + ' action';
          throw new ServiceError('AccessDeniedException', `User: ${session} is not authorized to perform: ${action} on resource: ${resource} ${because}`);
        }
      }

      // a test's fault: the service's error instead of the call, or the caller's sandbox dead once it is served (before
      // the answer is written, so the function never reads it)
      const call = `${service}:${operation}`;
      const injected = options.faults?.errorFor(caller.name, call, body);
      if (injected) throw injected;
      const dies = options.faults?.diesAfter(caller.name, call, body) ?? false;
      const served = () => {
        if (dies) options.onSandboxDeath?.(caller);
      };

      switch (service) {
        case 'dynamodb':
          return await forwardToDynalite(request, raw, response, served);
        case 'sqs': {
          // the URL functions know, not fauxqs's own
          if (operation === 'GetQueueUrl') {
            served();
            return replyJson(response, 200, { QueueUrl: queueByName.get(String(body.QueueName))?.url }, contentType);
          }
          const queue = queueOfUrl(body.QueueUrl);
          const reply = await options.sqs.inject(`${prefix}.${operation}`, { ...body, QueueUrl: options.sqs.urlOf.get(queue!.name) });
          served();
          response.writeHead(reply.status, { 'content-type': contentType });
          response.end(reply.body);
          return;
        }
        case 'secretsmanager': {
          const answer = secrets.serve(operation, body);
          served();
          return replyJson(response, 200, answer, contentType);
        }
        case 'comprehend': {
          const answer = comprehend(operation, body);
          served();
          return replyJson(response, 200, answer, contentType);
        }
      }
    } catch (error) {
      if (error instanceof ServiceError) return replyError(response, error, contentType);
      if (error instanceof SyntaxError) return replyError(response, new ServiceError('SerializationException', 'malformed JSON'), contentType);
      replyError(response, new ServiceError('InternalFailure', error instanceof Error ? error.message : String(error), 500), contentType);
    }
  };
}
