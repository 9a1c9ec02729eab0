// adapter support: the one AWS client the functions use, for the services they call (DynamoDB, SQS, Secrets Manager,
// Comprehend), which all speak the AWS JSON protocols: a signed POST with the operation in `X-Amz-Target` and the
// input as the JSON body. Why not the SDK's generated clients: a Lambda bundle carrying them is 175–213 KB before a
// line of our own code, and a cold start loads all of it (docs/benchmarks.md has the measurements). What is kept
// from the SDK: its SigV4 signer (@smithy/signature-v4), its DynamoDB marshalling (@aws-sdk/util-dynamodb, in
// ./dynamodb.ts), its input and output types (type-only imports, nothing bundled), and the shape of its errors and
// commands, so adapters and the aws-sdk-client-mock fault tests read as they did.
//
// What a call does, as the SDK's "standard" retry mode does it: up to `maxAttempts` (3, or AWS_MAX_ATTEMPTS) attempts;
// what the SDK's error classification calls throttling or transient (429, throttling codes, 500/502/503/504,
// timeouts and broken connections) is retried after a full-jitter exponential delay (base 500 ms for throttling,
// 100 ms otherwise, capped at 20 s); any other error is thrown at once. An output is the service's JSON as it is: a
// timestamp in it stays epoch seconds where the SDK's types say Date (the one adapter that reads one,
// restoreSummaryOf in shared/response/dynamo-restored-responses.ts, converts it). Not kept: the SDK's retry token
// bucket, clock-skew correction, endpoints outside the `aws` and `aws-cn` partitions, the SQS client's MD5 check of the
// bodies it sent (TLS already guards them in transit), and binary attribute values (./dynamodb.ts refuses them).
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { SignatureV4 } from '@smithy/signature-v4';

/** what every answer carries, as the SDK's `$metadata` */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
  totalRetryDelay?: number;
}

/** a command: an operation's input, sent by a client's `send` (the SDK's shape, which aws-sdk-client-mock matches) */
export abstract class AwsCommand<Input extends object, Output extends object> {
  abstract readonly operation: string;
  /** only for the types: what `send` resolves to */
  declare readonly output?: Output;
  constructor(readonly input: Input) {}
}

export type OutputOf<C> = C extends AwsCommand<object, infer O> ? O : never;

export interface ServiceErrorOptions {
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: ResponseMetadata;
  [field: string]: unknown;
}

/** an error answered by an AWS service: `name` is the service's error code, as the SDK's exceptions have it */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: ResponseMetadata;

  constructor(name: string, { message, $fault, $metadata, ...fields }: ServiceErrorOptions) {
    super(message ?? name);
    this.name = name;
    this.$fault = $fault ?? ($metadata?.httpStatusCode !== undefined && $metadata.httpStatusCode >= 500 ? 'server' : 'client');
    this.$metadata = $metadata ?? {};
    // the service's other fields (CancellationReasons, Item, …), as the SDK copies them
    Object.assign(this, fields);
  }
}

/** a service error class for one code, so callers can test `error instanceof ConditionalCheckFailedException` */
export function serviceError(name: string) {
  const named = class extends AwsServiceError {
    constructor(options: ServiceErrorOptions) {
      super(name, options);
    }
  };
  Object.defineProperty(named, 'name', { value: name });
  return named;
}
export type ServiceErrorClass = ReturnType<typeof serviceError>;

/** a service's error classes by code, for ServiceDescription.errors */
export const errorsByCode = (...errors: ServiceErrorClass[]): Record<string, ServiceErrorClass> => Object.fromEntries(errors.map((error) => [error.name, error]));

const MAX_RETRY_DELAY_MS = 20_000;

/** the SDK's own classification (@smithy/core/retry), as its standard retry strategy applies it */
function retryKindOf(error: unknown): 'throttling' | 'transient' | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const classified = error as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(classified)) return 'throttling';
  if (isTransientError(classified)) return 'transient';
  return undefined;
}

/** a request that got no answer: the connection could not be made, broke, or stayed silent past its timeout */
export class NetworkError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = code === 'ETIMEDOUT' ? 'TimeoutError' : 'NetworkError';
  }
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ClientConfig {
  region?: string;
  /** the service's URL; default AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the public regional one */
  endpoint?: string;
  /** default AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN: where Lambda puts the role's credentials */
  credentials?: Credentials;
  /** attempts per send, the first included; default AWS_MAX_ATTEMPTS, else 3 */
  maxAttempts?: number;
  /** ms to wait for a connection, and for the answer to go on arriving (an inactivity timeout); none by default */
  requestHandler?: { connectionTimeout?: number; requestTimeout?: number };
}

/** how a service speaks the protocol */
export interface ServiceDescription {
  /** the SDK's service id, upper-cased for its AWS_ENDPOINT_URL_<SERVICE> variable: DYNAMODB, SECRETS_MANAGER */
  endpointVariable: string;
  /** the host's first label and the signing name: dynamodb, sqs, secretsmanager, comprehend */
  endpointPrefix: string;
  /** the `X-Amz-Target` prefix: DynamoDB_20120810, AmazonSQS, secretsmanager, Comprehend_20171127 */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  /** the service's error classes, by code; any other code becomes an AwsServiceError of that name */
  errors: Record<string, ServiceErrorClass>;
  /** extra headers of every request (SQS's JSON protocol asks for `x-amzn-query-mode`) */
  headers?: Record<string, string>;
}

/** SHA-256 and HMAC-SHA-256 for the signer, from node:crypto */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

const environmentValue = (name: string) => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

function credentialsFromEnvironment(): Credentials {
  const accessKeyId = environmentValue('AWS_ACCESS_KEY_ID');
  const secretAccessKey = environmentValue('AWS_SECRET_ACCESS_KEY');
  if (!accessKeyId || !secretAccessKey) throw new Error('no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
  return { accessKeyId, secretAccessKey, sessionToken: environmentValue('AWS_SESSION_TOKEN') };
}

export function regionalEndpoint(endpointPrefix: string, region: string): string {
  return `https://${endpointPrefix}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One service's client: `send` signs a command, posts it and returns its output or throws the service's error. */
export class JsonProtocolClient {
  /** kept-alive connection pools, one per scheme, made at the first request (as the SDK's handler keeps them) */
  private readonly agents: { http?: http.Agent; https?: https.Agent } = {};
  private signer?: SignatureV4;
  private readonly maxAttempts: number;

  constructor(
    private readonly service: ServiceDescription,
    private readonly config: ClientConfig = {},
  ) {
    this.maxAttempts = config.maxAttempts ?? (Number(environmentValue('AWS_MAX_ATTEMPTS')) || 3);
  }

  get region(): string {
    const region = this.config.region ?? environmentValue('AWS_REGION') ?? environmentValue('AWS_DEFAULT_REGION');
    if (!region) throw new Error('no AWS region: AWS_REGION is not set');
    return region;
  }

  /** the URL a request goes to; `hint` is a URL the input names (SQS's QueueUrl), used when none is configured */
  endpointFor(hint?: string): string {
    const configured = this.config.endpoint ?? environmentValue(`AWS_ENDPOINT_URL_${this.service.endpointVariable}`) ?? environmentValue('AWS_ENDPOINT_URL');
    if (configured) return configured;
    if (hint) return new URL(hint).origin;
    return regionalEndpoint(this.service.endpointPrefix, this.region);
  }

  /** posts `operation` with `input`, retrying what the standard retry mode retries */
  async call<Output>(operation: string, input: object, endpointHint?: string): Promise<Output & { $metadata: ResponseMetadata }> {
    const body = JSON.stringify(input);
    let totalRetryDelay = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const answer = await this.post(operation, body, endpointHint);
        const metadata: ResponseMetadata = { httpStatusCode: answer.status, requestId: requestIdOf(answer), attempts: attempt, totalRetryDelay };
        if (answer.status >= 200 && answer.status < 300) {
          const output = (answer.body === '' ? {} : JSON.parse(answer.body)) as Output;
          return { ...output, $metadata: metadata };
        }
        throw this.errorOf(answer, metadata);
      } catch (error) {
        const kind = retryKindOf(error);
        if (!kind || attempt >= this.maxAttempts) throw error;
        const wait = Math.random() * Math.min(MAX_RETRY_DELAY_MS, (kind === 'throttling' ? 500 : 100) * 2 ** (attempt - 1));
        totalRetryDelay += wait;
        await delay(wait);
      }
    }
  }

  destroy(): void {
    this.agents.http?.destroy();
    this.agents.https?.destroy();
  }

  private errorOf(answer: Answer, $metadata: ResponseMetadata): AwsServiceError {
    let fields: Record<string, unknown> = {};
    try {
      fields = answer.body === '' ? {} : (JSON.parse(answer.body) as Record<string, unknown>);
    } catch {
      // an answer that is not JSON (a proxy's error page): the status alone says what happened
    }
    const { __type, message, Message, ...rest } = fields;
    const code = errorCodeOf(answer.headers['x-amzn-errortype'], __type, rest.code) ?? `HTTP${answer.status}`;
    const text = typeof message === 'string' ? message : typeof Message === 'string' ? Message : code;
    const ErrorClass = this.service.errors[code];
    const options = { ...rest, message: text, $metadata };
    return ErrorClass ? new ErrorClass(options) : new AwsServiceError(code, options);
  }

  private async post(operation: string, body: string, endpointHint: string | undefined): Promise<Answer> {
    const url = new URL(this.endpointFor(endpointHint));
    this.signer ??= new SignatureV4({
      service: this.service.endpointPrefix,
      region: this.region,
      credentials: this.config.credentials ?? (() => Promise.resolve(credentialsFromEnvironment())),
      sha256: Sha256,
    });
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query: {},
      headers: {
        host: url.host,
        'content-type': `application/x-amz-json-${this.service.jsonVersion}`,
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': `${this.service.targetPrefix}.${operation}`,
        ...this.service.headers,
      },
      body,
    });
    return this.request(url, signed.headers, body);
  }

  private request(url: URL, headers: Record<string, string>, body: string): Promise<Answer> {
    const { connectionTimeout, requestTimeout } = this.config.requestHandler ?? {};
    const secure = url.protocol === 'https:';
    const transport = secure ? https : http;
    const agent = secure ? (this.agents.https ??= new https.Agent({ keepAlive: true, maxSockets: 50 })) : (this.agents.http ??= new http.Agent({ keepAlive: true, maxSockets: 50 }));
    return new Promise<Answer>((resolve, reject) => {
      const request = transport.request(url, { method: 'POST', headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(networkError(error)));
      });
      request.on('error', (error) => reject(networkError(error)));
      if (connectionTimeout) {
        const timer = setTimeout(() => request.destroy(new NetworkError(`no connection within ${connectionTimeout} ms`, 'ETIMEDOUT')), connectionTimeout);
        request.on('socket', (socket) => {
          if (!socket.connecting) clearTimeout(timer);
          else socket.once('connect', () => clearTimeout(timer));
        });
        request.on('close', () => clearTimeout(timer));
      }
      if (requestTimeout) request.setTimeout(requestTimeout, () => request.destroy(new NetworkError(`no answer for ${requestTimeout} ms`, 'ETIMEDOUT')));
      request.end(body);
    });
  }
}

function networkError(error: Error & { code?: string }): Error {
  return error instanceof NetworkError ? error : new NetworkError(error.message, error.code);
}

function requestIdOf(answer: Answer): string | undefined {
  const id = answer.headers['x-amzn-requestid'] ?? answer.headers['x-amz-request-id'];
  return Array.isArray(id) ? id[0] : id;
}

/** "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "Throttling:http://…" → the bare code */
function errorCodeOf(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    const value = Array.isArray(candidate) ? candidate[0] : candidate;
    if (typeof value !== 'string' || value === '') continue;
    return value.split(',')[0]!.split(':')[0]!.split('#').pop()!;
  }
  return undefined;
}

/**
 * A service's client with the SDK's shape: `send(command)` and `destroy()`. aws-sdk-client-mock replaces `send` on a
 * subclass's prototype, so each service's faults can be mocked alone.
 */
export class AwsClient<Command extends AwsCommand<object, object>> {
  readonly protocol: JsonProtocolClient;

  constructor(service: ServiceDescription, config: ClientConfig) {
    this.protocol = new JsonProtocolClient(service, config);
  }

  send<C extends Command>(command: C): Promise<OutputOf<C>> {
    return this.protocol.call(command.operation, command.input, this.endpointHintOf(command));
  }

  /** a URL the command names that a request may go to when no endpoint is configured (SQS's queue URL) */
  protected endpointHintOf(_command: Command): string | undefined {
    return undefined;
  }

  destroy(): void {
    this.protocol.destroy();
  }
}

