// local runtime: the Lambda context object handlers receive, shaped as AWS sends it.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** the deprecated callbacks: no-ops, one set for every invocation */
const ignored = () => undefined;

/**
 * A class rather than an object literal with an arrow for getRemainingTimeInMillis: the method lives once on the
 * prototype, where a literal would make (and, under tsx, name) a new function for every request.
 */
class LocalLambdaContext implements Context {
  readonly callbackWaitsForEmptyEventLoop = false;
  readonly functionVersion = '$LATEST';
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB = '1024';
  readonly awsRequestId = randomUUID();
  readonly logGroupName: string;
  readonly logStreamName = 'local';
  readonly done = ignored;
  readonly fail = ignored;
  readonly succeed = ignored;
  private readonly deadline: number;

  constructor(
    readonly functionName: string,
    timeoutSeconds: number,
  ) {
    this.deadline = Date.now() + timeoutSeconds * 1000;
    this.invokedFunctionArn = `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`;
    this.logGroupName = `/aws/lambda/${functionName}`;
  }

  getRemainingTimeInMillis(): number {
    return Math.max(0, this.deadline - Date.now());
  }
}

export const lambdaContext = (functionName: string, timeoutSeconds: number): Context => new LocalLambdaContext(functionName, timeoutSeconds);
