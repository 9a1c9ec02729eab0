// adapter: ResponseStore over DynamoDB (dynalite locally).
// Key: responseId, so a redelivered message is a conditional-put no-op. GSI bySurvey (surveyId, receivedKey) serves
// read-back newest first; the sparse GSI pendingSentiment holds only responses whose sentiment is still to be scored,
// and the sparse GSI unrouted only detractors not yet sent to the follow-up queue.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from '../clock.js';
import { conditionally } from '../dynamo-conditional.js';
import { expiryIndexOf, withoutExpiryIndex, type ExpiryIndexAttributes } from '../privacy/retention.js';
import { ApiError } from '../errors.js';
import type { ResponseStore, StoredResponse, StoredSentiment } from './stored-response.js';

const PENDING = 'pending';
/** in the pendingSentiment index under its own key: settled, its marks not yet known to be written */
const SETTLING = 'settling';
/** with a `where` filter, items read per Query call */
const FILTERED_CHUNK = 200;

interface ResponseItem extends StoredResponse, ExpiryIndexAttributes {
  responseId: string;
  receivedKey: string;
  sentimentPending?: string;
  routingPending?: string;
}

function toItem(response: StoredResponse): ResponseItem {
  return {
    ...response,
    responseId: response.id,
    receivedKey: `${response.receivedAt}#${response.id}`,
    ...(response.sentiment?.status === 'pending' ? { sentimentPending: PENDING } : {}),
    ...(response.followUp && !response.followUp.routedAt ? { routingPending: PENDING } : {}),
    ...expiryIndexOf(response.id, response.expiresAt),
  };
}

function fromItem(item: ResponseItem): StoredResponse {
  const { responseId: _id, receivedKey: _key, sentimentPending: _pending, routingPending: _routing, ...response } = item;
  return withoutExpiryIndex(response);
}

const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string, surveyId: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const fields = ['responseId', 'surveyId', 'receivedKey'];
    if (key.surveyId === surveyId && Object.keys(key).length === 3 && fields.every((f) => typeof key[f] === 'string')) return key;
  } catch {
    // falls through to the 400 below
  }
  throw new ApiError(400, 'invalid request', [{ path: 'cursor', reason: 'not a cursor returned by this endpoint for this survey' }]);
}

/** every read leaves out expired responses (retention), even before the sweeper or TTL deletes them */
export function createDynamoResponseStore(db: DynamoDBDocumentClient, tableName: string, clock: Clock = systemClock): ResponseStore {
  async function listPending(
    indexName: string,
    attribute: string,
    limit: number,
    value = PENDING,
    dueBy?: Date,
  ): Promise<StoredResponse[]> {
    // with `dueBy`, a sentiment waiting out its backoff is left out (one without `nextAttemptAt` is due at once).
    // The index is sorted by receivedAt, not by due time, so this is a filter: during a long outage a run reads past
    // the waiting items to reach the due ones (an index sorted by due time would spare those reads)
    const due = dueBy ? ' AND (attribute_not_exists(#s.#n) OR #s.#n <= :due)' : '';
    // the filter applies after the read: read on until `limit` live items or the index ends
    const items: ResponseItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexName,
          KeyConditionExpression: '#p = :p',
          FilterExpression: `(attribute_not_exists(#e) OR #e > :now)${due}`,
          ExpressionAttributeNames: { '#p': attribute, '#e': 'expiresAt', ...(dueBy ? { '#s': 'sentiment', '#n': 'nextAttemptAt' } : {}) },
          ExpressionAttributeValues: {
            ':p': value,
            ':now': Math.floor(clock.now().getTime() / 1000),
            ...(dueBy ? { ':due': dueBy.toISOString() } : {}),
          },
          Limit: limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as ResponseItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return items.map(fromItem);
  }

  /** an update that is a no-op when its condition fails */
  const updateIf = (responseId: string, update: string, condition: string, values: Record<string, unknown>) =>
    conditionally(
      db.send(
        new UpdateCommand({ TableName: tableName, Key: { responseId }, UpdateExpression: update, ConditionExpression: condition, ExpressionAttributeValues: values }),
      ),
    );

  return {
    async putIfAbsent(response) {
      try {
        await db.send(
          new PutCommand({ TableName: tableName, Item: toItem(response), ConditionExpression: 'attribute_not_exists(responseId)' }),
        );
        return 'stored';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'duplicate';
        throw error;
      }
    },

    async putRevision(response) {
      const stored = await conditionally(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: toItem(response),
            ConditionExpression: 'attribute_not_exists(responseId) OR attribute_not_exists(revision) OR revision < :r',
            ExpressionAttributeValues: { ':r': response.revision ?? 0 },
          }),
        ),
      );
      return stored ? 'stored' : 'duplicate';
    },

    async listBySurvey({ surveyId, from, to, limit, cursor, now, where, maxScanned = Number.POSITIVE_INFINITY }) {
      const names: Record<string, string> = { '#s': 'surveyId', '#e': 'expiresAt' };
      const values: Record<string, unknown> = { ':s': surveyId, ':now': Math.floor(now.getTime() / 1000) };
      let range = '';
      if (from || to) names['#k'] = 'receivedKey';
      // receivedKey is "<ISO time>#<id>": "~" sorts after every id character, making `to` inclusive
      if (from && to) {
        range = ' AND #k BETWEEN :from AND :to';
        Object.assign(values, { ':from': from, ':to': `${to}~` });
      } else if (from) {
        range = ' AND #k >= :from';
        values[':from'] = from;
      } else if (to) {
        range = ' AND #k <= :to';
        values[':to'] = `${to}~`;
      }
      // one item past the page tells whether another page exists, so the last page's cursor is null;
      // expired items are filtered after the read, so a short read does not mean the end either.
      // With `where`, reads go on in chunks until the page is full or `maxScanned` items were read: then the cursor is
      // where the reading stopped, so the next page goes on from there.
      const items: ResponseItem[] = [];
      let scanned = 0;
      let startKey = cursor ? decodeCursor(cursor, surveyId) : undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'bySurvey',
            KeyConditionExpression: `#s = :s${range}`,
            FilterExpression: '#e > :now',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: where ? Math.max(1, Math.min(FILTERED_CHUNK, maxScanned - scanned)) : limit + 1 - items.length,
            ExclusiveStartKey: startKey,
          }),
        );
        scanned += page.ScannedCount ?? 0;
        const read = (page.Items ?? []) as ResponseItem[];
        items.push(...(where ? read.filter((item) => where(fromItem(item))) : read));
        startKey = page.LastEvaluatedKey;
      } while (items.length <= limit && startKey && scanned < maxScanned);

      const pageItems = items.slice(0, limit);
      const last = pageItems.at(-1);
      const more = items.length > limit;
      const keyOf = (item: ResponseItem) => ({ responseId: item.responseId, surveyId, receivedKey: item.receivedKey });
      const next = more && last ? keyOf(last) : startKey ? { responseId: startKey.responseId, surveyId, receivedKey: startKey.receivedKey } : undefined;
      return {
        items: pageItems.map(fromItem),
        cursor: next ? encodeCursor(next) : null,
        ...(where ? { scanned } : {}),
      };
    },

    listPendingSentiment: (limit, dueBy) => listPending('pendingSentiment', 'sentimentPending', limit, PENDING, dueBy),

    listSettling: (limit) => listPending('pendingSentiment', 'sentimentPending', limit, SETTLING),

    async settlingDone(responseId) {
      await updateIf(responseId, 'REMOVE sentimentPending', 'sentimentPending = :settling', { ':settling': SETTLING });
    },

    listUnrouted: (limit) => listPending('unrouted', 'routingPending', limit),

    async markDetractor(responseId, reasons) {
      await updateIf(responseId, 'SET followUp = :f, routingPending = :p', 'attribute_exists(responseId) AND attribute_not_exists(followUp)', {
        ':f': { reasons },
        ':p': PENDING,
      });
    },

    async markRouted(responseId, at) {
      await updateIf(responseId, 'SET followUp.routedAt = :at REMOVE routingPending', 'attribute_exists(routingPending)', { ':at': at.toISOString() });
    },

    async settleSentiment(responseId, sentiment: StoredSentiment, privacy) {
      const stillPending = sentiment.status === 'pending';
      const set = privacy ? 'SET sentiment = :s, #c = :c, redaction = :r' : 'SET sentiment = :s';
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { responseId },
            // a final sentiment stays in the index as `settling` until the rescore has written its marks
            UpdateExpression: stillPending ? set : `${set}, sentimentPending = :settling`,
            ConditionExpression: 'sentimentPending = :pending',
            ...(privacy ? { ExpressionAttributeNames: { '#c': 'comment' } } : {}),
            ExpressionAttributeValues: {
              ':s': sentiment,
              ':pending': PENDING,
              ...(stillPending ? {} : { ':settling': SETTLING }),
              ...(privacy ? { ':c': privacy.comment, ':r': privacy.redaction } : {}),
            },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
