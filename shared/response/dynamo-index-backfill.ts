// adapter: the upgrade to write-sharded response indexes (response-indexes.ts), for items stored before it. The sweep
// schedule runs it a slice at a time until done; readers ask `isDone` to know whether they still need the legacy keys.
//   1. scan the responses table, from where the previous run stopped, for items lacking `surveyShard` or holding an
//      unsharded "pending"/"settling" value
//   2. give each its shard, each attribute by a write conditional on the value read (a write meanwhile wins)
//   3. at the table's end, stop; the next run starts another pass. A pass that found nothing to change, begun long
//      enough after the first run that no function of the previous version can still be writing, marks it done, once
//      the new index is ACTIVE (CloudFormation does not wait for DynamoDB to build it)
// Its state is one item in the responses table itself (`MARKER_ID`; shared/dynamo-table-pass.ts): no response id
// starts with "#" (response-id.ts), and the item has no surveyId, customerRef or expiry, so no index and no sweep sees it.
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTableCommand, UpdateCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { chunksOf } from '../chunks.js';
import { systemClock, type Clock } from '../clock.js';
import { conditionally } from '../dynamo-conditional.js';
import { passStateItem, scanPagesWhile } from '../dynamo-table-pass.js';
import { PREVIOUS_VERSION_SETTLE_MS } from '../previous-version.js';
import { BY_SURVEY_INDEX, pendingValueOf, PENDING, SETTLING, surveyShardOf } from './response-indexes.js';

export const MARKER_ID = '#index-shards';
/** items read per Scan call */
const PAGE = 500;
/** conditional updates sent at once */
const PARALLEL = 25;
/**
 * items changed a second at most. Each change also writes the item's entry in the legacy bySurvey index, whose one
 * partition per survey takes about 1,000 writes a second: a survey that fills most of the table keeps four fifths of
 * its partition for live responses while the backfill runs
 */
const ITEMS_PER_SECOND = 200;

interface Marker {
  createdAt: string;
  /** absent between passes */
  passStartedAt?: string;
  /** where the pass stopped (a Scan's LastEvaluatedKey); absent: at the start */
  position?: Record<string, unknown>;
  /** items found lacking a shard in this pass so far */
  found: number;
  done?: boolean;
}

export interface IndexBackfill {
  /** goes on while `hasTime()`; answers the items it changed and whether the backfill is now done */
  run(hasTime: () => boolean): Promise<{ changed: number; done: boolean }>;
  isDone(): Promise<boolean>;
}

export function createIndexShardBackfill(db: DynamoDBDocumentClient, tableName: string, clock: Clock = systemClock): IndexBackfill {
  const markerItem = passStateItem<Marker>(db, tableName, { responseId: MARKER_ID });

  const indexActive = async () =>
    (await db.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === BY_SURVEY_INDEX && index.IndexStatus === 'ACTIVE') === true;

  const setIf = (responseId: string, attribute: string, value: string, condition: string, values: Record<string, unknown> = {}) =>
    conditionally(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { responseId },
          UpdateExpression: 'SET #a = :v',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#a': attribute },
          ExpressionAttributeValues: { ':v': value, ...values },
        }),
      ),
    );

  /** step 2: answers whether it changed the item */
  async function shard(item: Record<string, unknown>): Promise<boolean> {
    const id = String(item.responseId);
    const writes: Promise<boolean>[] = [];
    if (item.surveyShard === undefined) {
      writes.push(setIf(id, 'surveyShard', surveyShardOf(String(item.surveyId), id), 'attribute_exists(responseId) AND attribute_not_exists(#a)'));
    }
    for (const state of [PENDING, SETTLING] as const) {
      if (item.sentimentPending === state) writes.push(setIf(id, 'sentimentPending', pendingValueOf(state, id), '#a = :old', { ':old': state }));
    }
    if (item.routingPending === PENDING) writes.push(setIf(id, 'routingPending', pendingValueOf(PENDING, id), '#a = :old', { ':old': PENDING }));
    return (await Promise.all(writes)).some(Boolean);
  }

  return {
    async run(hasTime) {
      const now = clock.now().toISOString();
      const marker: Marker = (await markerItem.read()) ?? { createdAt: now, found: 0 };
      if (marker.done) return { changed: 0, done: true };
      marker.passStartedAt ??= now;
      let changed = 0;
      // 1.
      const pages = scanPagesWhile(
        db,
        {
          TableName: tableName,
          FilterExpression: 'attribute_exists(surveyId) AND (attribute_not_exists(surveyShard) OR sentimentPending IN (:p, :s) OR routingPending = :p)',
          ExpressionAttributeValues: { ':p': PENDING, ':s': SETTLING },
          Limit: PAGE,
        },
        marker.position,
        hasTime,
      );
      for await (const { items, next } of pages) {
        // 2.
        for (const chunk of chunksOf(items, PARALLEL)) {
          const started = Date.now();
          const changedNow = (await Promise.all(chunk.map(shard))).filter(Boolean).length;
          changed += changedNow;
          const pace = (changedNow * 1000) / ITEMS_PER_SECOND - (Date.now() - started);
          if (pace > 0) await sleep(pace);
        }
        marker.found += items.length;
        marker.position = next;
        // 3.
        if (!marker.position) {
          const settled = Date.parse(marker.passStartedAt) - Date.parse(marker.createdAt) >= PREVIOUS_VERSION_SETTLE_MS;
          if (marker.found === 0 && settled && (await indexActive())) marker.done = true;
          marker.found = 0;
          delete marker.passStartedAt;
          await markerItem.save(marker);
          // a new pass starts in a later run, so it begins after the previous version's last writes
          return { changed, done: marker.done === true };
        }
        await markerItem.save(marker);
      }
      return { changed, done: false };
    },

    async isDone() {
      return (await markerItem.read())?.done === true;
    },
  };
}
