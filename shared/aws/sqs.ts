// adapter support: SQS over the JSON protocol client (./json-protocol.ts): the one operation the functions call.
import type { SendMessageBatchCommandInput, SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import { AwsCommand, JsonProtocolClient, type ClientConfig, type OutputOf } from './json-protocol.js';

export class SendMessageBatchCommand extends AwsCommand<SendMessageBatchCommandInput, SendMessageBatchCommandOutput> {
  readonly operation = 'SendMessageBatch';
}

export class SQSClient {
  private readonly protocol: JsonProtocolClient;

  constructor(config: ClientConfig = {}) {
    this.protocol = new JsonProtocolClient(
      // `x-amzn-query-mode`: the SDK's flag that it speaks JSON to a service that also speaks the query protocol
      { endpointVariable: 'SQS', endpointPrefix: 'sqs', targetPrefix: 'AmazonSQS', jsonVersion: '1.0', errors: {}, headers: { 'x-amzn-query-mode': 'true' } },
      config,
    );
  }

  /** with no endpoint configured, a command goes to its queue URL's host, as the SDK's SQS client does */
  send<C extends SendMessageBatchCommand>(command: C): Promise<OutputOf<C>> {
    return this.protocol.call(command.operation, command.input, command.input.QueueUrl);
  }

  destroy(): void {
    this.protocol.destroy();
  }
}
