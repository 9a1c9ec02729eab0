// adapter: TaskStore over DynamoDB (dynalite locally).
// Key: taskId (derived from the response id: a conditional put opens one task per response). Every change is a put
// conditional on the version read, so of two concurrent claims exactly one wins. Indexes: bySurvey (surveyId,
// createdKey) for lists and metrics; byCustomer (customerRef, createdKey), sparse, for a customer's history; slaWatch
// (slaPending, dueAt), sparse: only tasks not yet contacted whose breach is still to be handled.
import { GetCommand, PutCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from '../clock.js';
import { conditionally, putIfAbsent } from '../dynamo-conditional.js';
import { expiryIndexOf, isExpired, withoutExpiryIndex } from '../privacy/retention.js';
import { ApiError } from '../errors.js';
import { isOverdue, type FollowUpTask } from './task.js';
import type { CandidateQuery, TaskPage, TaskQuery, TaskStore } from './task-store.js';

const PENDING = 'pending';

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
    createdKey: `${task.createdAt}#${task.id}`,
    ...(task.response.customerRef ? { customerRef: task.response.customerRef } : {}),
    ...(watching ? { slaPending: PENDING } : {}),
    ...expiryIndexOf(task.id, task.expiresAt),
  };
}

function fromItem(item: Record<string, unknown>): FollowUpTask {
  const { taskId: _id, createdKey: _key, customerRef: _customer, slaPending: _sla, ...task } = item as unknown as TaskItem;
  return withoutExpiryIndex(task);
}

const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key && typeof key === 'object' && Object.values(key).every((v) => typeof v === 'string')) return key;
  } catch {
    // falls through to the 400 below
  }
  throw new ApiError(400, 'invalid request', [{ path: 'cursor', reason: 'not a cursor returned by this endpoint' }]);
}

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

    async list(query: TaskQuery): Promise<TaskPage> {
      // filters apply after the read, so a page is filled by reading on until it is full or the data ends
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const filters: string[] = [];
      if (query.status) {
        names['#st'] = 'status';
        values[':st'] = query.status;
        filters.push('#st = :st');
      }
      if (query.assignee) {
        names['#a'] = 'assignee';
        names['#aid'] = 'id';
        values[':a'] = query.assignee;
        filters.push('#a.#aid = :a');
      }
      if (query.surveys && !query.surveyId) {
        names['#sv'] = 'surveyId';
        const keys = query.surveys.map((_, i) => `:sv${i}`);
        query.surveys.forEach((s, i) => (values[`:sv${i}`] = s));
        filters.push(keys.length ? `#sv IN (${keys.join(', ')})` : 'attribute_not_exists(#sv)');
      }
      const filter = filters.length ? filters.join(' AND ') : undefined;
      const overdue = (task: FollowUpTask) => !query.overdueAt || isOverdue(task, query.overdueAt);

      const items: FollowUpTask[] = [];
      let lastKey: Record<string, unknown> | undefined;
      let startKey = query.cursor ? decodeCursor(query.cursor) : undefined;
      let more = false;
      do {
        const base = {
          TableName: tableName,
          ...(filter ? { FilterExpression: filter } : {}),
          ExclusiveStartKey: startKey,
          Limit: 100,
        };
        const page = query.surveyId
          ? await db.send(
              new QueryCommand({
                ...base,
                IndexName: 'bySurvey',
                KeyConditionExpression: '#s = :s',
                ExpressionAttributeNames: { ...names, '#s': 'surveyId' },
                ExpressionAttributeValues: { ...values, ':s': query.surveyId },
                ScanIndexForward: false,
              }),
            )
          : await db.send(
              new ScanCommand({
                ...base,
                ...(filter ? { ExpressionAttributeNames: names, ExpressionAttributeValues: values } : {}),
              }),
            );
        for (const raw of page.Items ?? []) {
          const task = fromItem(raw);
          if (!overdue(task) || !live(task)) continue;
          if (items.length === query.limit) {
            more = true;
            break;
          }
          items.push(task);
          const item = raw as TaskItem;
          lastKey = query.surveyId ? { taskId: item.taskId, surveyId: item.surveyId, createdKey: item.createdKey } : { taskId: item.taskId };
        }
        startKey = page.LastEvaluatedKey;
      } while (!more && startKey);
      return { items, cursor: (more || startKey) && lastKey ? encodeCursor(lastKey) : null };
    },

    async listCandidates({ surveys, statuses }: CandidateQuery): Promise<FollowUpTask[]> {
      // a survey's tasks by its bySurvey index; the admin's every survey by a scan, as list does
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      if (statuses) {
        names['#st'] = 'status';
        statuses.forEach((s, i) => (values[`:st${i}`] = s));
      }
      const filter = statuses ? { FilterExpression: `#st IN (${statuses.map((_, i) => `:st${i}`).join(', ')})` } : {};
      if (surveys) {
        const perSurvey = await Promise.all(
          surveys.map((surveyId) =>
            queryAll({
              IndexName: 'bySurvey',
              KeyConditionExpression: '#s = :s',
              ExpressionAttributeNames: { ...names, '#s': 'surveyId' },
              ExpressionAttributeValues: { ...values, ':s': surveyId },
              ...filter,
            }),
          ),
        );
        return perSurvey.flat();
      }
      const tasks: FollowUpTask[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ...(statuses ? { ...filter, ExpressionAttributeNames: names, ExpressionAttributeValues: values } : {}) }));
        tasks.push(...(page.Items ?? []).map(fromItem).filter(live));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return tasks;
    },

    async countByCustomer(customerRef) {
      const tasks = await queryAll({
        IndexName: 'byCustomer',
        KeyConditionExpression: '#c = :c',
        ExpressionAttributeNames: { '#c': 'customerRef' },
        ExpressionAttributeValues: { ':c': customerRef },
      });
      return tasks.length;
    },

    listByCustomer: (customerRef, limit) =>
      queryAll(
        {
          IndexName: 'byCustomer',
          KeyConditionExpression: '#c = :c',
          ExpressionAttributeNames: { '#c': 'customerRef' },
          ExpressionAttributeValues: { ':c': customerRef },
          ScanIndexForward: false,
        },
        limit,
      ),

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
