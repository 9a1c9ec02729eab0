// adapter support: SQS over the JSON protocol client (./json-protocol.ts): the one operation the functions call.
import type { SendMessageBatchCommandInput, SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import { AwsClient, AwsCommand, type ClientConfig } from './json-protocol.js';

export class SendMessageBatchCommand extends AwsCommand<SendMessageBatchCommandInput, SendMessageBatchCommandOutput> {
  readonly operation = 'SendMessageBatch';
}

export class SQSClient extends AwsClient<SendMessageBatchCommand> {
  constructor(config: ClientConfig = {}) {
    // `x-amzn-query-mode`: the SDK's flag that it speaks JSON to a service that also speaks the query protocol
    super({ endpointVariable: 'SQS', endpointPrefix: 'sqs', targetPrefix: 'AmazonSQS', jsonVersion: '1.0', errors: {}, headers: { 'x-amzn-query-mode': 'true' } }, config);
  }

  /** with no endpoint configured, a command goes to its queue URL's host, as the SDK's SQS client does */
  protected override endpointHintOf(command: SendMessageBatchCommand): string | undefined {
    return command.input.QueueUrl;
  }
}
