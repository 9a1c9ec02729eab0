// adapter support: reading many items by key, 100 keys a BatchGetItem (DynamoDB's most). The keys DynamoDB leaves
// unprocessed (throttling, or a reply's 16 MB) are asked again after a growing pause, as AWS advises, and a read that
// keeps leaving keys unprocessed fails after MAX_BATCH_ATTEMPTS rather than looping for the function's whole timeout.
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from './aws/dynamodb.js';
import { chunksOf } from './chunks.js';

type Item = Record<string, unknown>;

const KEYS_PER_BATCH = 100;
/** attempts of one batch (a read here, or a batch write) before what DynamoDB leaves unprocessed fails it */
export const MAX_BATCH_ATTEMPTS = 10;
/** the pause before a batch's `attempt`-th ask for what the previous one left unprocessed */
export const pauseBeforeRetry = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));

/** the items of `keys` that exist, in no particular order */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  { projection, consistentRead = false }: { projection?: string; consistentRead?: boolean } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  for (const chunk of chunksOf(keys, KEYS_PER_BATCH)) {
    let unprocessed: Item[] | undefined = chunk;
    for (let attempt = 0; unprocessed?.length; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error(`${tableName}: a batch read kept returning unprocessed keys`);
      if (attempt > 0) await pauseBeforeRetry(attempt);
      const reply: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: unprocessed, ...(projection ? { ProjectionExpression: projection } : {}), ...(consistentRead ? { ConsistentRead: true } : {}) } },
        }),
      );
      found.push(...(reply.Responses?.[tableName] ?? []));
      unprocessed = reply.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}
