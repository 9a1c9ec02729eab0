// unit: under `npm start` every function runs in one process, several invocations at once; each log line must still
// name the function (and the request) that wrote it, as it does in the cloud, and a failed invocation is said, as
// Lambda's runtime says it.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/commons/powertools.js';
import { applyFunctionEnvironment } from '../../infra/local/function-environment.js';
import { functionInvoker, inOwnInvocation } from '../../infra/local/function-invoker.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** a handler on the functions' shared logger that logs once after `waitMs`, between other invocations' starts */
const handlerLoggingAfter = (waitMs: number) =>
  middy(async () => {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    logger.warn('work done');
  }).use(injectLambdaContext(logger));

describe('local log lines', () => {
  it('carry the name and request id of the function that wrote them while other functions run at once', async () => {
    // Prepare: the rollup starts first and logs last; the ingest starts after it and logs first
    const lines: string[] = [];
    // Powertools writes WARN and above to stderr
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const rollup = lambdaContext('rollup', 60);
    const ingest = lambdaContext('ingest', 10);

    // Act
    await Promise.all([
      inOwnInvocation(rollup, () => handlerLoggingAfter(200)({}, rollup)),
      inOwnInvocation(ingest, () => handlerLoggingAfter(0)({}, ingest)),
    ]);

    // Assess
    const logged = lines.map((line) => JSON.parse(line) as { message: string; function_name: string; function_request_id: string });
    expect(logged.map(({ message, function_name, function_request_id }) => ({ message, function_name, function_request_id }))).toEqual([
      { message: 'work done', function_name: 'ingest', function_request_id: ingest.awsRequestId },
      { message: 'work done', function_name: 'rollup', function_request_id: rollup.awsRequestId },
    ]);
  });

  it('say that a scheduled function failed, with what it threw, as Lambda\'s runtime does', async () => {
    // Prepare: the functions' DynamoDB is a closed port, so the expiry sweep's first read fails
    const queue = 'http://127.0.0.1:9/000000000000/q';
    applyFunctionEnvironment(
      { dynamoEndpoint: 'http://127.0.0.1:9', queueUrls: { responses: queue, followups: queue }, queueArns: { responses: 'arn:q', followups: 'arn:q' }, deadLetterQueueUrls: { responses: queue, followups: queue } },
      { adminToken: 'x'.repeat(32), linkKeys: '[]', logLevel: 'SILENT' },
    );
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));

    // Act
    const failure = await functionInvoker().invoke('sweepExpired', { source: 'local.scheduler' }).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^sweepExpired: ERROR\tInvoke Error\t\{"errorType":"\w+","errorMessage":".+"\}$/);
  }, 30_000);
});
