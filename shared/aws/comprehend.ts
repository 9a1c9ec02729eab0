// adapter support: Amazon Comprehend over the JSON protocol client (./json-protocol.ts): the operations the functions call.
import type {
  BatchDetectDominantLanguageCommandInput,
  BatchDetectDominantLanguageCommandOutput,
  BatchDetectSentimentCommandInput,
  BatchDetectSentimentCommandOutput,
  DetectPiiEntitiesCommandInput,
  DetectPiiEntitiesCommandOutput,
} from '@aws-sdk/client-comprehend';
import { AwsClient, AwsCommand, errorsByCode, serviceError, type ClientConfig } from './json-protocol.js';

export type { BatchItemError, LanguageCode, PiiEntity } from '@aws-sdk/client-comprehend';

export const TooManyRequestsException = serviceError('TooManyRequestsException');
export const InternalServerException = serviceError('InternalServerException');
export const UnsupportedLanguageException = serviceError('UnsupportedLanguageException');
export const TextSizeLimitExceededException = serviceError('TextSizeLimitExceededException');
export const BatchSizeLimitExceededException = serviceError('BatchSizeLimitExceededException');
export const InvalidRequestException = serviceError('InvalidRequestException');

const errors = errorsByCode(
  TooManyRequestsException, InternalServerException, UnsupportedLanguageException, TextSizeLimitExceededException, BatchSizeLimitExceededException, InvalidRequestException,
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

export class ComprehendClient extends AwsClient<BatchDetectSentimentCommand | BatchDetectDominantLanguageCommand | DetectPiiEntitiesCommand> {
  constructor(config: ClientConfig = {}) {
    super({ endpointVariable: 'COMPREHEND', endpointPrefix: 'comprehend', targetPrefix: 'Comprehend_20171127', jsonVersion: '1.1', errors }, config);
  }
}
