// use case, with its logs: one SQS batch of queued responses. 1. prepare the whole batch at once (redaction and
// sentiment in batches); 2. store each record, reporting the ones that fail as partial batch failures, which the
// queue retries. A failing record is logged by its ids and reason, never its content.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { RecordNotStoredError, type makeProcessResponses } from '../../shared/response/process-responses.js';
import { logger } from '../commons/powertools.js';

type PreparedBatch = Awaited<ReturnType<ReturnType<typeof makeProcessResponses>>>;

async function storeLogged(batch: PreparedBatch, messageId: string) {
  try {
    return await batch.store(messageId);
  } catch (error) {
    if (error instanceof RecordNotStoredError) {
      logger.error('response not stored', { messageId, responseId: error.responseId, reason: error.reason });
    } else logger.error('response not stored', { messageId, reason: error instanceof Error ? error.name : 'unknown error' });
    throw error;
  }
}

export function makeProcessBatch(prepareBatch: ReturnType<typeof makeProcessResponses>) {
  const processor = new BatchProcessor(EventType.SQS);
  return async function processResponses(event: SQSEvent, context: Context) {
    const batch = await prepareBatch(event.Records.map(({ messageId, body }) => ({ messageId, body })));
    return processPartialResponse(event, (record: SQSRecord) => storeLogged(batch, record.messageId), processor, { context });
  };
}
