// unit: the functions' AWS client (shared/aws/json-protocol.ts) against an endpoint on the loopback: what it puts on the
// wire is what it signed, service errors come back as the SDK's typed errors, and it retries what the SDK's standard
// mode retries, no more. The error paths here are the ones the local engines cannot produce.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { ConditionalCheckFailedException, DynamoDBClient, DynamoDBDocumentClient, GetCommand, ProvisionedThroughputExceededException } from '../../shared/aws/dynamodb.js';
import { AwsServiceError, NetworkError, regionalEndpoint } from '../../shared/aws/json-protocol.js';
import { SendMessageBatchCommand, SQSClient } from '../../shared/aws/sqs.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = (received: Received, response: ServerResponse) => void;

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** an endpoint answering the n-th request with answers[n] (the last one again after that), keeping what it was sent */
async function endpoint(...answers: Answer[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const one = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(one);
      answers[Math.min(received.length, answers.length) - 1]!(one, response);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const json = (status: number, body: object, headers: Record<string, string> = {}): Answer => (_, response) =>
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1', ...headers }).end(JSON.stringify(body));
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function documentClient(url: string, maxAttempts?: number, requestHandler?: { requestTimeout?: number }) {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1', endpoint: url, credentials, maxAttempts, requestHandler }));
  closers.push(() => db.destroy());
  return db;
}

class Sha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array) {
    this.hash.update(data);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

describe('the AWS JSON protocol client', () => {
  it('sends exactly the request it signed: the signature recomputed from what arrived is the one it carries', async () => {
    // Prepare
    const aws = await endpoint(json(200, { Item: { id: { S: 'k' }, n: { N: '3' }, tags: { SS: ['a'] } } }));

    // Act
    const output = await documentClient(aws.url).send(new GetCommand({ TableName: 'surveys', Key: { id: 'k' } }));

    // Assess: the item comes back in native values, and the request is one AWS would accept as signed
    expect(output.Item).toEqual({ id: 'k', n: 3, tags: new Set(['a']) });
    const [request] = aws.received;
    expect(request!.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(JSON.parse(request!.body)).toEqual({ TableName: 'surveys', Key: { id: { S: 'k' } } });
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(request!.headers.authorization))![1]!.split(';');
    const amzDate = String(request!.headers['x-amz-date']);
    const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    const resigned = await new SignatureV4({ service: 'dynamodb', region: 'eu-west-1', credentials, sha256: Sha256 as never }).sign(
      {
        method: request!.method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: request!.url,
        query: {},
        headers: Object.fromEntries(signedHeaders.filter((name) => name !== 'x-amz-date').map((name) => [name, String(request!.headers[name])])),
        body: request!.body,
      },
      { signingDate },
    );
    expect(resigned.headers.authorization).toBe(request!.headers.authorization);
  });

  it("throws a service's error as its typed error, with its code, message, status, request id and other fields", async () => {
    // Prepare
    const aws = await endpoint(
      json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', Item: { id: { S: 'k' } } }),
    );

    // Act
    const sent = documentClient(aws.url).send(new GetCommand({ TableName: 't', Key: { id: 'k' } }));

    // Assess: not retried, a client fault
    const error = await sent.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect(error).toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'req-1', attempts: 1 },
      Item: { id: { S: 'k' } },
    });
    expect(aws.received).toHaveLength(1);
  });

  it('names an error the service did not model by its code, from the x-amzn-ErrorType header when the body has none', async () => {
    // Prepare
    const aws = await endpoint(json(400, { Message: 'no such thing' }, { 'x-amzn-errortype': 'UnrecognizedClientException:http://internal.amazon.com/coral/' }));

    // Act
    const error = await documentClient(aws.url).send(new GetCommand({ TableName: 't', Key: { id: 'k' } })).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({ name: 'UnrecognizedClientException', message: 'no such thing' });
  });

  it('retries throttling until an attempt succeeds, and says how many attempts it took', async () => {
    // Prepare
    const throttled = json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' });
    const aws = await endpoint(throttled, throttled, json(200, { Item: { id: { S: 'k' } } }));

    // Act
    const output = await documentClient(aws.url).send(new GetCommand({ TableName: 't', Key: { id: 'k' } }));

    // Assess
    expect(output.Item).toEqual({ id: 'k' });
    expect(output.$metadata.attempts).toBe(3);
    expect(aws.received).toHaveLength(3);
  });

  it('gives up after maxAttempts with the last error', async () => {
    // Prepare
    const aws = await endpoint(json(400, { __type: 'ProvisionedThroughputExceededException', message: 'slow down' }));

    // Act
    const error = await documentClient(aws.url, 2).send(new GetCommand({ TableName: 't', Key: { id: 'k' } })).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as AwsServiceError).$metadata.attempts).toBe(2);
    expect(aws.received).toHaveLength(2);
  });

  it('retries a service fault (5xx) and a broken connection, as the standard retry mode does', async () => {
    // Prepare
    const aws = await endpoint(
      json(500, { __type: 'InternalServerError', message: 'oops' }),
      (_, response) => response.socket?.destroy(),
      json(200, {}),
    );

    // Act
    const output = await documentClient(aws.url).send(new GetCommand({ TableName: 't', Key: { id: 'k' } }));

    // Assess
    expect(output.Item).toBeUndefined();
    expect(aws.received).toHaveLength(3);
  });

  it('does not retry a server error the standard mode does not retry (501 Not Implemented)', async () => {
    // Prepare
    const aws = await endpoint(json(501, { __type: 'NotImplemented', message: 'no' }));

    // Act
    const error = await documentClient(aws.url).send(new GetCommand({ TableName: 't', Key: { id: 'k' } })).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toMatchObject({ name: 'NotImplemented', $fault: 'server', $metadata: { httpStatusCode: 501, attempts: 1 } });
    expect(aws.received).toHaveLength(1);
  });

  it('ends an attempt that gets no answer within requestTimeout with a TimeoutError', async () => {
    // Prepare: an endpoint that never answers
    const aws = await endpoint(() => undefined);

    // Act
    const error = await documentClient(aws.url, 1, { requestTimeout: 200 }).send(new GetCommand({ TableName: 't', Key: { id: 'k' } })).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
  });

  it("sends to AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then SQS's queue URL host, then the regional endpoint", async () => {
    // Prepare
    const queueHost = await endpoint(json(200, { Successful: [], Failed: [] }));
    const saved = { service: process.env.AWS_ENDPOINT_URL_SQS, all: process.env.AWS_ENDPOINT_URL };
    delete process.env.AWS_ENDPOINT_URL_SQS;
    delete process.env.AWS_ENDPOINT_URL;
    const sqs = new SQSClient({ region: 'eu-west-1', credentials });
    closers.push(() => sqs.destroy());

    try {
      // Act
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: `${queueHost.url}/000000000000/responses`, Entries: [{ Id: '1', MessageBody: 'x' }] }));

      // Assess
      expect(queueHost.received).toHaveLength(1);
      expect(queueHost.received[0]!.headers['x-amz-target']).toBe('AmazonSQS.SendMessageBatch');
      expect(regionalEndpoint('dynamodb', 'eu-west-1')).toBe('https://dynamodb.eu-west-1.amazonaws.com');
      expect(regionalEndpoint('sqs', 'cn-north-1')).toBe('https://sqs.cn-north-1.amazonaws.com.cn');
      const dynamo = new DynamoDBClient({ region: 'eu-west-1' });
      expect(dynamo.protocol.endpointFor()).toBe('https://dynamodb.eu-west-1.amazonaws.com');
      process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
      expect(dynamo.protocol.endpointFor('https://sqs.example/q')).toBe('http://127.0.0.1:1');
      process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:2';
      expect(dynamo.protocol.endpointFor()).toBe('http://127.0.0.1:2');
    } finally {
      delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      if (saved.service !== undefined) process.env.AWS_ENDPOINT_URL_SQS = saved.service;
      if (saved.all !== undefined) process.env.AWS_ENDPOINT_URL = saved.all;
      else delete process.env.AWS_ENDPOINT_URL;
    }
  });
});
