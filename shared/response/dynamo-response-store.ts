// adapter: ResponseStore over DynamoDB (dynalite locally).
// Key: responseId, so a redelivered message is a conditional-put no-op. The GSI bySurveyShard (surveyShard, receivedKey)
// serves read-back newest first; the sparse GSI pendingSentiment holds only responses whose sentiment is still to be
// scored, and the sparse GSI unrouted only detractors not yet sent to the follow-up queue. All three are write-sharded
// (response-indexes.ts): a response's shard comes from its id, so a redelivery lands on the same item and shard, and
// every read queries each shard and merges them in index order (dynamo-merged-query.ts).
import {
  ConditionalCheckFailedException,
  DeleteCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '../aws/dynamodb.js';
import { systemClock, type Clock } from '../clock.js';
import { conditionally } from '../dynamo-conditional.js';
import { mergedQuery, type MergedQuery } from '../dynamo-merged-query.js';
import { expiryIndexOf, withoutExpiryIndex, type ExpiryIndexAttributes } from '../privacy/retention.js';
import { encodeCursor, notACursor, positionOf } from '../page-cursor.js';
import { answerBytesOf } from '../answer-size.js';
import { allShards, shardedValue } from '../write-shards.js';
import { createIndexShardBackfill } from './dynamo-index-backfill.js';
import {
  BY_SURVEY_INDEX,
  LEGACY_BY_SURVEY_INDEX,
  PENDING,
  pendingValueOf,
  RESPONSE_INDEX_SHARDS,
  SETTLING,
  shardedValues,
  surveyShardOf,
} from './response-indexes.js';
import type { ReadResponse, ResponseStore, StoredResponse, StoredSentiment } from './stored-response.js';

/** with a `where` filter, items read per page of reads (over all shards) */
const FILTERED_CHUNK = 200;
/** until the backfill is done, how long a reader trusts its last look at it */
const BACKFILL_CHECK_MS = 60_000;

interface ResponseItem extends StoredResponse, ExpiryIndexAttributes {
  responseId: string;
  receivedKey: string;
  surveyShard?: string;
  sentimentPending?: string;
  routingPending?: string;
}

function toItem(response: StoredResponse): ResponseItem {
  return {
    ...response,
    responseId: response.id,
    receivedKey: `${response.receivedAt}#${response.id}`,
    surveyShard: surveyShardOf(response.surveyId, response.id),
    ...(response.sentiment?.status === 'pending' ? { sentimentPending: pendingValueOf(PENDING, response.id) } : {}),
    ...(response.followUp && !response.followUp.routedAt ? { routingPending: pendingValueOf(PENDING, response.id) } : {}),
    ...expiryIndexOf(response.id, response.expiresAt),
  };
}

/**
 * the condition that an item is still the response `read` (ReadResponse): the same revision, store time and comment,
 * each absent if it was. A newer revision of an e-mail answer replaces the whole item (putRevision) and the redaction
 * backfill rewrites the comment: after either, a write worked out from `read` is a no-op
 */
function sameAsRead(read: ReadResponse): { condition: string; names: Record<string, string>; values: Record<string, unknown> } {
  const fields = { revision: read.revision, storedAt: read.storedAt, comment: read.comment };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = Object.entries(fields).map(([name, value]) => {
    names[`#read_${name}`] = name;
    if (value === undefined) return `attribute_not_exists(#read_${name})`;
    values[`:read_${name}`] = value;
    return `#read_${name} = :read_${name}`;
  });
  return { condition: `(${parts.join(' AND ')})`, names, values };
}

/**
 * the attributes a stored item has beyond the response itself: its key and index keys, and when a restore copied it
 * back (restore-responses.ts)
 */
export const RESPONSE_ITEM_ATTRIBUTES = ['responseId', 'receivedKey', 'surveyShard', 'sentimentPending', 'routingPending', 'restoredAt'] as const;

/** the response an item of the responses table holds */
export function responseFromItem(item: Record<string, unknown>): StoredResponse {
  const response = Object.fromEntries(Object.entries(item).filter(([name]) => !(RESPONSE_ITEM_ATTRIBUTES as readonly string[]).includes(name)));
  return withoutExpiryIndex(response as unknown as StoredResponse);
}
const fromItem = (item: ResponseItem): StoredResponse => responseFromItem(item as unknown as Record<string, unknown>);

// the cursor names the last item a page looked at; its receivedKey ("<ISO time>#<id>") is unique and every shard is
// read in receivedKey order, so that one key is every shard's position: the next page reads below it in each
function decodeCursor(cursor: string, surveyId: string): { receivedKey: string } {
  const key = (positionOf(cursor) ?? {}) as Record<string, unknown>;
  const fields = ['responseId', 'surveyId', 'receivedKey'];
  if (key.surveyId === surveyId && Object.keys(key).length === 3 && fields.every((f) => typeof key[f] === 'string')) return { receivedKey: key.receivedKey as string };
  throw notACursor('not a cursor returned by this endpoint for this survey');
}

/** the receivedKey condition for `from`…`upper` (both inclusive) */
function receivedKeyRange(from: string | undefined, upper: string | undefined): { condition: string; values: Record<string, string> } {
  if (from && upper) return { condition: ' AND #k BETWEEN :from AND :to', values: { ':from': from, ':to': upper } };
  if (from) return { condition: ' AND #k >= :from', values: { ':from': from } };
  if (upper) return { condition: ' AND #k <= :to', values: { ':to': upper } };
  return { condition: '', values: {} };
}

export interface ResponseStoreOptions {
  /**
   * the table has its legacy `bySurvey` index (the stack's default while upgrades may still need it): until the backfill
   * is done, reads use the legacy keys. Without it (`-c legacyBySurveyIndex=false`: a new deployment, or an upgrade whose
   * backfill is done) only the sharded keys are read
   */
  legacyIndex: boolean;
}

/** every read leaves out expired responses (retention), even before the sweeper or TTL deletes them */
export function createDynamoResponseStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock = systemClock,
  options: ResponseStoreOptions = { legacyIndex: true },
): ResponseStore {
  const backfill = createIndexShardBackfill(db, tableName, clock);
  let backfillDone = !options.legacyIndex;
  let backfillCheckedAt = Number.NEGATIVE_INFINITY;
  /** whether items stored before the sharded indexes may still lack their shard (then the legacy keys are read) */
  async function readsLegacy(): Promise<boolean> {
    const now = clock.now().getTime();
    if (!backfillDone && now - backfillCheckedAt >= BACKFILL_CHECK_MS) {
      backfillDone = await backfill.isDone();
      backfillCheckedAt = now;
    }
    return !backfillDone;
  }

  /**
   * Whether a sparse index holds any item at all: one read of at most one item. The pending and unrouted indexes are
   * empty but during a provider outage or a burst of detractors, and the every-minute runs that read them would
   * otherwise query each of their shards (8 a state) to find nothing.
   */
  async function holdsAny(indexName: string): Promise<boolean> {
    const reply = await db.send(new ScanCommand({ TableName: tableName, IndexName: indexName, Limit: 1, Select: 'COUNT' }));
    return (reply.Count ?? 0) > 0 || reply.LastEvaluatedKey !== undefined;
  }

  async function listPending(indexName: string, attribute: string, limit: number, state: string, dueBy?: Date): Promise<StoredResponse[]> {
    if (!(await holdsAny(indexName))) return [];
    // with `dueBy`, a sentiment waiting out its backoff is left out (one without `nextAttemptAt` is due at once).
    // The index is sorted by receivedAt, not by due time, so this is a filter: during a long outage a run reads past
    // the waiting items to reach the due ones (an index sorted by due time would spare those reads)
    const due = dueBy ? ' AND (attribute_not_exists(#s.#n) OR #s.#n <= :due)' : '';
    const queries = shardedValues(state, await readsLegacy()).map(
      (value): QueryCommandInput => ({
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
      }),
    );
    // oldest first over all shards; the filter applies after the read: read on until `limit` live items or the end
    const items: ResponseItem[] = [];
    const merged = mergedQuery<ResponseItem>(db, queries, {
      sortKey: 'receivedAt',
      descending: false,
      chunk: () => Math.max(1, Math.ceil((limit - items.length) / RESPONSE_INDEX_SHARDS)),
    });
    while (items.length < limit) {
      const item = await merged.next();
      if (!item) break;
      items.push(item);
    }
    return items.map(fromItem);
  }

  /** an update that is a no-op when its condition fails */
  const updateIf = (responseId: string, update: string, condition: string, values: Record<string, unknown>, names?: Record<string, string>) =>
    conditionally(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { responseId },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      ),
    );

  /** an update of the response `read`: a no-op when the item is no longer it (ReadResponse), or when `condition` fails */
  const updateOfRead = (read: ReadResponse, update: string, condition: string, values: Record<string, unknown>, names: Record<string, string> = {}) => {
    const same = sameAsRead(read);
    return updateIf(read.id, update, `${condition} AND ${same.condition}`, { ...values, ...same.values }, { ...names, ...same.names });
  };

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

    async listBySurvey({ surveyId, from, to, limit, cursor, now, where, maxScanned = Number.POSITIVE_INFINITY, maxAnswerBytes = Number.POSITIVE_INFINITY }) {
      // a cursor names the last item looked at: the next page reads from it down (it is skipped below); "~" sorts
      // after every id character, making `to` inclusive
      const after = cursor ? decodeCursor(cursor, surveyId).receivedKey : undefined;
      const upper = [to ? `${to}~` : undefined, after].filter((key) => key !== undefined).sort()[0];
      // a cursor below `from` (another query's): nothing is left to read
      if (from && upper !== undefined && upper < from) return { items: [], cursor: null, ...(where ? { scanned: 0 } : {}) };
      const range = receivedKeyRange(from, upper);
      const legacy = await readsLegacy();
      const query = (indexName: string, partitionKey: string, value: string): QueryCommandInput => ({
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: `#p = :p${range.condition}`,
        FilterExpression: '#e > :now',
        ExpressionAttributeNames: { '#p': partitionKey, '#e': 'expiresAt', ...(range.condition ? { '#k': 'receivedKey' } : {}) },
        ExpressionAttributeValues: { ':p': value, ':now': Math.floor(now.getTime() / 1000), ...range.values },
        ScanIndexForward: false,
      });
      // until the backfill is done, the legacy index, which holds every item (all have a surveyId), is read alone: items
      // stored before the upgrade may still lack their shard, and the new index may still be building. The cursor is
      // the same position in both, so a listing carries on across the switch
      const queries = legacy
        ? [query(LEGACY_BY_SURVEY_INDEX, 'surveyId', surveyId)]
        : allShards(RESPONSE_INDEX_SHARDS).map((n) => query(BY_SURVEY_INDEX, 'surveyShard', shardedValue(surveyId, n)));

      // one item past the page tells whether another page exists, so the last page's cursor is null.
      // With `where`, reads go on until the page is full or about `maxScanned` items were read: then the cursor is the
      // last item looked at, and the next page goes on from there. Two items a shard at least, so that past the cursor's
      // own item (read again) each page looks at one more and moves on.
      const budget = where ? Math.max(maxScanned, 2 * queries.length) : Number.POSITIVE_INFINITY;
      const items: ResponseItem[] = [];
      const merged: MergedQuery<ResponseItem> = mergedQuery<ResponseItem>(db, queries, {
        sortKey: 'receivedKey',
        descending: true,
        // the legacy index holds every shard's items: it reads as much as all shards
        weights: queries.map(() => (legacy ? RESPONSE_INDEX_SHARDS : 1)),
        chunk: (units) =>
          where
            ? Math.min(Math.ceil(FILTERED_CHUNK / RESPONSE_INDEX_SHARDS), Math.floor((budget - merged.scanned) / units))
            : Math.max(1, Math.ceil((limit + 1 - items.length) / RESPONSE_INDEX_SHARDS)),
      });
      let last: ResponseItem | undefined;
      let answerBytes = 0;
      let full = false;
      while (items.length <= limit) {
        const item = await merged.next();
        if (!item) break;
        if (item.receivedKey === after) continue;
        if (!where || where(fromItem(item))) {
          // sized only for a page that has a budget; the item past `limit` only tells that another page exists
          if (maxAnswerBytes !== Number.POSITIVE_INFINITY && items.length < limit) {
            const size = answerBytesOf(JSON.stringify(fromItem(item))) + 1;
            if (items.length > 0 && answerBytes + size > maxAnswerBytes) {
              full = true;
              break;
            }
            answerBytes += size;
          }
          items.push(item);
        }
        last = item;
      }

      const pageItems = items.slice(0, limit);
      const keyOf = (item: ResponseItem) => ({ responseId: item.responseId, surveyId, receivedKey: item.receivedKey });
      const next =
        full || items.length > limit
          ? keyOf(pageItems.at(-1)!)
          : merged.ended
            ? undefined
            : last
              ? keyOf(last)
              : { responseId: '', surveyId, receivedKey: upper ?? '\uffff' };
      return {
        items: pageItems.map(fromItem),
        cursor: next ? encodeCursor(next) : null,
        ...(where ? { scanned: merged.scanned } : {}),
      };
    },

    async listByCustomer(customerRef, limit) {
      // the byCustomer index is not sharded (one customer's responses are few); an item being erased has lost its
      // surveyId (responsesHolder) and an expired one is past its retention: neither is returned
      const items: ResponseItem[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'byCustomer',
            KeyConditionExpression: '#c = :c',
            FilterExpression: 'attribute_exists(#s) AND (attribute_not_exists(#e) OR #e > :now)',
            ExpressionAttributeNames: { '#c': 'customerRef', '#s': 'surveyId', '#e': 'expiresAt' },
            ExpressionAttributeValues: { ':c': customerRef, ':now': Math.floor(clock.now().getTime() / 1000) },
            ScanIndexForward: false,
            Limit: limit - items.length,
            ExclusiveStartKey: startKey,
          }),
        );
        items.push(...((page.Items ?? []) as ResponseItem[]));
        startKey = page.LastEvaluatedKey;
      } while (startKey && items.length < limit);
      return items.map(fromItem);
    },

    listPendingSentiment: (limit, dueBy) => listPending('pendingSentiment', 'sentimentPending', limit, PENDING, dueBy),

    listSettling: (limit) => listPending('pendingSentiment', 'sentimentPending', limit, SETTLING),

    async settlingDone(read) {
      // an item stored before the sharded indexes may still hold the unsharded value
      await updateOfRead(read, 'REMOVE sentimentPending', 'sentimentPending IN (:settling, :legacy)', {
        ':settling': pendingValueOf(SETTLING, read.id),
        ':legacy': SETTLING,
      });
    },

    listUnrouted: (limit) => listPending('unrouted', 'routingPending', limit, PENDING),

    async markDetractor(read, reasons) {
      await updateOfRead(read, 'SET followUp = :f, routingPending = :p', 'attribute_exists(responseId) AND attribute_not_exists(followUp)', {
        ':f': { reasons },
        ':p': pendingValueOf(PENDING, read.id),
      });
    },

    async removeErased(responseId) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: { responseId } }));
    },

    async markRouted(responseId, at) {
      await updateIf(responseId, 'SET followUp.routedAt = :at REMOVE routingPending', 'attribute_exists(routingPending)', { ':at': at.toISOString() });
    },

    async settleSentiment(read, sentiment: StoredSentiment, privacy) {
      const stillPending = sentiment.status === 'pending';
      const set = privacy ? 'SET sentiment = :s, #c = :c, redaction = :r' : 'SET sentiment = :s';
      return updateOfRead(
        read,
        // a final sentiment stays in the index as `settling` until the rescore has written its marks
        stillPending ? set : `${set}, sentimentPending = :settling`,
        // an item stored before the sharded indexes may still hold the unsharded value
        'sentimentPending IN (:pending, :legacy)',
        {
          ':s': sentiment,
          ':pending': pendingValueOf(PENDING, read.id),
          ':legacy': PENDING,
          ...(stillPending ? {} : { ':settling': pendingValueOf(SETTLING, read.id) }),
          ...(privacy ? { ':c': privacy.comment, ':r': privacy.redaction } : {}),
        },
        privacy ? { '#c': 'comment' } : {},
      );
    },
  };
}
