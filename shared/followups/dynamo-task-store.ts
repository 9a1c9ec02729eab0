// adapter: TaskStore over DynamoDB (dynalite locally).
// Key: taskId (derived from the response id: a conditional put opens one task per response). Every change is a put
// conditional on the version read, so of two concurrent claims exactly one wins. Indexes: bySurvey (surveyId,
// createdKey) for lists and metrics; byCustomer (customerRef, createdKey), sparse, for a customer's history; slaWatch
// (slaPending, dueAt), sparse: only tasks not yet contacted whose breach is still to be handled.
import { GetCommand, PutCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { systemClock, type Clock } from '../clock.js';
import { conditionally, putIfAbsent } from '../dynamo-conditional.js';
import { expiryIndexOf, isExpired, withoutExpiryIndex } from '../privacy/retention.js';
import type { FollowUpTask } from './task.js';
import type { CandidateQuery, TaskStore } from './task-store.js';

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

    async listCandidates({ surveys, statuses }: CandidateQuery): Promise<FollowUpTask[]> {
      // a survey's tasks by its bySurvey index; the admin's every survey by a scan
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
