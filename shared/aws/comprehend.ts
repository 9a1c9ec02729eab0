// adapter support: Amazon Comprehend over the JSON protocol client (./json-protocol.ts): the operations the functions call.
import type {
  BatchDetectDominantLanguageCommandInput,
  BatchDetectDominantLanguageCommandOutput,
  BatchDetectSentimentCommandInput,
  BatchDetectSentimentCommandOutput,
  DetectPiiEntitiesCommandInput,
  DetectPiiEntitiesCommandOutput,
} from '@aws-sdk/client-comprehend';
import { AwsCommand, JsonProtocolClient, serviceError, type ClientConfig, type OutputOf } from './json-protocol.js';

export type { BatchItemError, LanguageCode, PiiEntity } from '@aws-sdk/client-comprehend';
export type {
  BatchDetectDominantLanguageCommandInput,
  BatchDetectDominantLanguageCommandOutput,
  BatchDetectSentimentCommandInput,
  BatchDetectSentimentCommandOutput,
  DetectPiiEntitiesCommandInput,
  DetectPiiEntitiesCommandOutput,
};

export const TooManyRequestsException = serviceError('TooManyRequestsException');
export const InternalServerException = serviceError('InternalServerException');
export const UnsupportedLanguageException = serviceError('UnsupportedLanguageException');
export const TextSizeLimitExceededException = serviceError('TextSizeLimitExceededException');
export const BatchSizeLimitExceededException = serviceError('BatchSizeLimitExceededException');
export const InvalidRequestException = serviceError('InvalidRequestException');

const errors = Object.fromEntries(
  [TooManyRequestsException, InternalServerException, UnsupportedLanguageException, TextSizeLimitExceededException, BatchSizeLimitExceededException, InvalidRequestException].map(
    (error) => [error.name, error],
  ),
);

export class BatchDetectSentimentCommand extends AwsCommand<BatchDetectSentimentCommandInput, BatchDetectSentimentCommandOutput> {
  readonly operation = 'BatchDetectSentiment';
}
export class BatchDetectDominantLanguageCommand extends AwsCommand<BatchDetectDominantLanguageCommandInput, BatchDetectDominantLanguageCommandOutput> {
  readonly operation = 'BatchDetectDominantLanguage';
}
export class DetectPiiEntitiesCommand extends AwsCommand<DetectPiiEntitiesCommandInput, DetectPiiEntitiesCommandOutput> {
  readonly operation = 'DetectPiiEntities';
}

export type ComprehendClientConfig = ClientConfig;

export class ComprehendClient {
  private readonly protocol: JsonProtocolClient;

  constructor(config: ClientConfig = {}) {
    this.protocol = new JsonProtocolClient(
      { endpointVariable: 'COMPREHEND', endpointPrefix: 'comprehend', targetPrefix: 'Comprehend_20171127', jsonVersion: '1.1', errors },
      config,
    );
  }

  send<C extends AwsCommand<object, object>>(command: C): Promise<OutputOf<C>> {
    return this.protocol.call(command.operation, command.input);
  }

  destroy(): void {
    this.protocol.destroy();
  }
}
