// adapter: TaskStore over DynamoDB (dynalite locally).
// Key: taskId (derived from the response id: a conditional put opens one task per response). Every change is a put
// conditional on the version read, so of two concurrent claims exactly one wins. Indexes: bySurvey (surveyId,
// createdKey) for lists in the order tasks were opened and metrics; bySurveyStatus (surveyId, status) for the tasks
// being worked, without reading the closed ones; byCustomer (customerRef, createdKey), sparse, for a customer's history;
// slaWatch (slaPending, dueAt), sparse: only tasks not yet contacted whose breach is still to be handled.
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { systemClock, type Clock } from '../clock.js';
import { conditionally, putIfAbsent } from '../dynamo-conditional.js';
import { mergedQuery, type MergedQuery } from '../dynamo-merged-query.js';
import { expiryIndexOf, isExpired, withoutExpiryIndex } from '../privacy/retention.js';
import { openingKeyOf, type FollowUpTask, type TaskStatus } from './task.js';
import type { OpenedTasks, TaskStore } from './task-store.js';

const PENDING = 'pending';
export const BY_SURVEY_STATUS_INDEX = 'bySurveyStatus';

interface TaskItem extends FollowUpTask {
  taskId: string;
  createdKey: string;
  customerRef?: string;
  slaPending?: typeof PENDING;
}

function toItem(task: FollowUpTask): TaskItem {
  const watching = (task.status === 'open' || task.status === 'claimed') && !task.breachedAt;
  return {
    ...task,
    taskId: task.id,
    createdKey: openingKeyOf(task),
    ...(task.response.customerRef ? { customerRef: task.response.customerRef } : {}),
    ...(watching ? { slaPending: PENDING } : {}),
    ...expiryIndexOf(task.id, task.expiresAt),
  };
}

function fromItem(item: Record<string, unknown>): FollowUpTask {
  const { taskId: _id, createdKey: _key, customerRef: _customer, slaPending: _sla, ...task } = item as unknown as TaskItem;
  return withoutExpiryIndex(task);
}

/** a customer's tasks, oldest first, by the sparse byCustomer index */
const byCustomer = (customerRef: string) => ({
  IndexName: 'byCustomer',
  KeyConditionExpression: '#c = :c',
  ExpressionAttributeNames: { '#c': 'customerRef' },
  ExpressionAttributeValues: { ':c': customerRef },
});

/** expired tasks (retention) are never returned, even before the sweeper or TTL deletes them */
export function createDynamoTaskStore(db: DynamoDBDocumentClient, tableName: string, clock: Clock = systemClock): TaskStore {
  const live = (task: FollowUpTask) => !isExpired(task, clock.now());
  async function queryAll(input: Omit<QueryCommand['input'], 'TableName'>, limit = Infinity): Promise<FollowUpTask[]> {
    const tasks: FollowUpTask[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey, ...(limit < Infinity ? { Limit: limit - tasks.length } : {}) }),
      );
      tasks.push(...(page.Items ?? []).map(fromItem).filter(live));
      startKey = page.LastEvaluatedKey;
    } while (startKey && tasks.length < limit);
    return tasks;
  }

  return {
    putIfAbsent: (task) => putIfAbsent(db, tableName, toItem(task), 'taskId'),

    async get(taskId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { taskId }, ConsistentRead: true }));
      const task = Item ? fromItem(Item) : undefined;
      return task && live(task) ? task : undefined;
    },

    replace: (task) =>
      conditionally(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: toItem(task),
            ConditionExpression: '#v = :seen',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':seen': task.version - 1 },
          }),
        ),
      ),

    async listInStatuses({ surveys, statuses }) {
      const bySurveyStatus = (surveyId: string, status: TaskStatus) =>
        queryAll({
          IndexName: BY_SURVEY_STATUS_INDEX,
          KeyConditionExpression: '#s = :s AND #st = :st',
          ExpressionAttributeNames: { '#s': 'surveyId', '#st': 'status' },
          ExpressionAttributeValues: { ':s': surveyId, ':st': status },
        });
      try {
        return (await Promise.all(surveys.flatMap((surveyId) => statuses.map((status) => bySurveyStatus(surveyId, status))))).flat();
      } catch (error) {
        if (!isBackfilling(error)) throw error;
        // just after the upgrade that adds the index, DynamoDB builds it from the tasks already stored, and refuses reads
        // of it until it is done: meanwhile the surveys' tasks are read whole and the statuses picked from them
        const all = await Promise.all(surveys.map((surveyId) => queryAll({ IndexName: 'bySurvey', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'surveyId' }, ExpressionAttributeValues: { ':s': surveyId } })));
        return all.flat().filter((task) => statuses.includes(task.status));
      }
    },

    readOpened({ surveys, newestFirst, after, maxRead, readAhead }): OpenedTasks {
      const merged: MergedQuery<Record<string, unknown>> = mergedQuery(
        db,
        surveys.map((surveyId) => ({
          TableName: tableName,
          IndexName: 'bySurvey',
          KeyConditionExpression: after === undefined ? '#s = :s' : `#s = :s AND #k ${newestFirst ? '<' : '>'} :after`,
          ExpressionAttributeNames: { '#s': 'surveyId', ...(after === undefined ? {} : { '#k': 'createdKey' }) },
          ExpressionAttributeValues: { ':s': surveyId, ...(after === undefined ? {} : { ':after': after }) },
          ScanIndexForward: !newestFirst,
        })),
        {
          sortKey: 'createdKey',
          descending: newestFirst,
          // each partition still to read gets its share of what the caller means to take, within what is left of the
          // budget: the first round reads a little of every survey, later ones only the surveys whose tasks come first
          chunk: (units) => (merged.scanned >= maxRead ? 0 : Math.max(1, Math.ceil(Math.min(readAhead, maxRead - merged.scanned) / units))),
        },
      );
      return {
        async next() {
          const item = await merged.next();
          if (!item) return undefined;
          const task = fromItem(item);
          return { openingKey: String(item.createdKey), ...(live(task) ? { task } : {}) };
        },
        get ended() {
          return merged.ended;
        },
      };
    },

    countByCustomer: async (customerRef) => (await queryAll(byCustomer(customerRef))).length,

    listByCustomer: (customerRef, limit) => queryAll({ ...byCustomer(customerRef), ScanIndexForward: false }, limit),

    listBreached(now, limit) {
      return queryAll(
        {
          IndexName: 'slaWatch',
          KeyConditionExpression: '#p = :p AND #d < :now',
          ExpressionAttributeNames: { '#p': 'slaPending', '#d': 'dueAt' },
          ExpressionAttributeValues: { ':p': PENDING, ':now': now.toISOString() },
        },
        limit,
      );
    },

    listOpenedBetween(surveyId, from, to) {
      return queryAll({
        IndexName: 'bySurvey',
        KeyConditionExpression: '#s = :s AND #k BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#s': 'surveyId', '#k': 'createdKey' },
        // createdKey is "<ISO time>#<id>": "#" sorts before every id character, so `to` is excluded
        ExpressionAttributeValues: { ':s': surveyId, ':from': from, ':to': `${to}#` },
      });
    },
  };
}

/** DynamoDB's refusal to read an index it is still building from the items already stored */
const isBackfilling = (error: unknown) => error instanceof Error && error.name === 'ValidationException' && /backfilling/i.test(error.message);
