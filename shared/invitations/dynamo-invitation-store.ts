// adapter: InvitationStore over DynamoDB (dynalite locally). Key: invitationId. GSIs: byCampaign (campaignKey =
// "<surveyId>#<campaign>", createdKey) for the campaign report; byCustomer (customerRef, createdKey) for a customer's
// erasure or export; the sparse provisionalDue (provisionalPending, provisionalAt) holds only invitations with a
// provisional answer, which the finaliser reads; expiring (shared/privacy/retention.ts) lets the sweep-expired schedule
// delete an invitation once its retention (`retainUntil`) has passed, and every read here skips one past it meanwhile.
import {
  BatchWriteCommand,
  ConditionalCheckFailedException,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '../aws/dynamodb.js';
import { systemClock, type Clock } from '../clock.js';
import { batchGetAll, MAX_BATCH_ATTEMPTS, pauseBeforeRetry } from '../dynamo-batch-get.js';
import { conditionally } from '../dynamo-conditional.js';
import { encodeCursor, notACursor, positionOf } from '../page-cursor.js';
import type { Invitation, ProvisionalAnswer } from './invitation.js';
import type { InvitationStore } from './invitation-store.js';
import { expiryIndexOf, withoutExpiryIndex, type ExpiryIndexAttributes } from '../privacy/retention.js';

const PENDING = 'pending';

interface InvitationItem extends Invitation, ExpiryIndexAttributes {
  campaignKey: string;
  createdKey: string;
  provisionalPending?: string;
  provisionalAt?: string;
}

const toItem = (invitation: Invitation): InvitationItem => ({
  ...invitation,
  campaignKey: `${invitation.surveyId}#${invitation.campaign}`,
  createdKey: `${invitation.createdAt}#${invitation.invitationId}`,
  ...expiryIndexOf(invitation.invitationId, invitation.retainUntil),
});

function fromItem(item: Record<string, unknown>): Invitation {
  const { campaignKey: _c, createdKey: _k, provisionalPending: _p, provisionalAt: _a, ...invitation } = item as unknown as InvitationItem;
  return withoutExpiryIndex(invitation);
}

function decodeCursor(cursor: string, campaignKey: string): Record<string, unknown> {
  const key = (positionOf(cursor) ?? {}) as Record<string, unknown>;
  if (key.campaignKey === campaignKey && typeof key.invitationId === 'string' && typeof key.createdKey === 'string' && Object.keys(key).length === 3) return key;
  throw notACursor('not a cursor returned for this campaign');
}

export function createDynamoInvitationStore(db: DynamoDBDocumentClient, tableName: string, clock: Clock = systemClock): InvitationStore {
  /** false once the invitation's retention has passed: TTL and the sweeper delete it later, reads skip it now */
  const retained = (item: Record<string, unknown>) => typeof item.retainUntil !== 'number' || item.retainUntil > clock.now().getTime() / 1000;
  const get = async (invitationId: string) => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { invitationId }, ConsistentRead: true }));
    return Item && retained(Item) ? fromItem(Item) : undefined;
  };

  /** an update of an existing invitation answering the item after it; undefined when the condition fails */
  async function update(invitationId: string, expression: string, values: Record<string, unknown>, condition = 'attribute_exists(invitationId)') {
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { invitationId },
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
          // FINAL is a DynamoDB reserved word
          ExpressionAttributeNames: `${expression} ${condition}`.includes('#final') ? { '#final': 'final' } : undefined,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? fromItem(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  return {
    async create(invitation) {
      const created = await conditionally(
        db.send(new PutCommand({ TableName: tableName, Item: toItem(invitation), ConditionExpression: 'attribute_not_exists(invitationId)' })),
      );
      if (created) return { invitation, created };
      const existing = await get(invitation.invitationId);
      // deleted between the put and the get (an erasure): what was asked for is what exists now
      return existing ? { invitation: existing, created: false } : this.create(invitation);
    },

    async createMany(wanted) {
      const existing = new Map<string, Invitation>();
      const items = await batchGetAll(db, tableName, wanted.map((inv) => ({ invitationId: inv.invitationId })), { consistentRead: true });
      for (const item of items) if (retained(item)) existing.set(item.invitationId as string, fromItem(item));
      const fresh = wanted.filter((inv) => !existing.has(inv.invitationId));
      for (let i = 0; i < fresh.length; i += 25) {
        let requests: NonNullable<BatchWriteCommandOutput['UnprocessedItems']>[string] | undefined = fresh
          .slice(i, i + 25)
          .map((inv) => ({ PutRequest: { Item: toItem(inv) } }));
        for (let attempt = 0; requests?.length; attempt++) {
          if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error('invitations: batch write kept returning unprocessed items');
          if (attempt > 0) await pauseBeforeRetry(attempt);
          const reply: BatchWriteCommandOutput = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
          requests = reply.UnprocessedItems?.[tableName];
        }
      }
      return wanted.map((inv) => {
        const found = existing.get(inv.invitationId);
        return found ? { invitation: found, created: false } : { invitation: inv, created: true };
      });
    },

    get,

    recordOpen: (invitationId, at, withScore) =>
      update(invitationId, `SET openedAt = if_not_exists(openedAt, :at) ADD opens :one${withScore ? ', clicks :one' : ''}`, { ':at': at.toISOString(), ':one': 1 }),

    async recordScannerHit(invitationId, at) {
      return !!(await update(invitationId, 'SET scannedAt = if_not_exists(scannedAt, :at) ADD scannerHits :one', { ':at': at.toISOString(), ':one': 1 }));
    },

    startAnswer: (invitationId, at, retentionDays) =>
      update(invitationId, 'SET answeredAt = if_not_exists(answeredAt, :at), answeredRetentionDays = if_not_exists(answeredRetentionDays, :days)', { ':at': at.toISOString(), ':days': retentionDays }),

    async recordProvisional(invitationId, provisional: ProvisionalAnswer) {
      const updated = await update(
        invitationId,
        'SET provisional = :p, provisionalPending = :pending, provisionalAt = :at',
        { ':p': provisional, ':pending': PENDING, ':at': provisional.at },
        'attribute_exists(invitationId) AND attribute_not_exists(#final)',
      );
      return !!updated;
    },

    async markFinal(invitationId, final, ifProvisionalAt) {
      const values: Record<string, unknown> = { ':f': final, ':revision': final.revision };
      if (ifProvisionalAt) values[':seen'] = ifProvisionalAt;
      // never an older revision over a newer one: two sends a moment apart may be marked in either order, and the
      // response store keeps the higher revision, so the invitation (whose scores a reopened link shows) must too
      const newer = '(attribute_not_exists(#final) OR #final.revision < :revision)';
      const updated = await update(
        invitationId,
        'SET #final = :f REMOVE provisional, provisionalPending, provisionalAt',
        values,
        ifProvisionalAt ? `provisionalAt = :seen AND ${newer}` : `attribute_exists(invitationId) AND ${newer}`,
      );
      return !!updated;
    },

    async dropProvisional(invitationId, ifProvisionalAt) {
      return !!(await update(invitationId, 'REMOVE provisional, provisionalPending, provisionalAt', { ':seen': ifProvisionalAt }, 'provisionalAt = :seen'));
    },

    async listDueProvisional(before, limit) {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'provisionalDue',
          KeyConditionExpression: 'provisionalPending = :p AND provisionalAt <= :before',
          ExpressionAttributeValues: { ':p': PENDING, ':before': before },
          Limit: limit,
        }),
      );
      return (page.Items ?? []).filter(retained).map(fromItem);
    },

    async listCampaign(surveyId, campaign, limit, cursor) {
      const campaignKey = `${surveyId}#${campaign}`;
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'byCampaign',
          KeyConditionExpression: 'campaignKey = :c',
          ExpressionAttributeValues: { ':c': campaignKey },
          Limit: limit,
          ExclusiveStartKey: cursor ? decodeCursor(cursor, campaignKey) : undefined,
        }),
      );
      const last = page.LastEvaluatedKey;
      return {
        items: (page.Items ?? []).filter(retained).map(fromItem),
        cursor: last ? encodeCursor({ invitationId: last.invitationId, campaignKey, createdKey: last.createdKey }) : null,
      };
    },
  };
}
