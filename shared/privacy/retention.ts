// domain: retention. Every stored response, follow-up task and notification carries `expiresAt` (epoch seconds: the
// response's receipt + its survey's retentionDays). DynamoDB TTL deletes by it in the cloud (lazily, within days), the
// `sweep-expired` schedule deletes promptly everywhere (locally, the only deletion: dynalite has no TTL), and every
// read filters by it meanwhile, so an expired item is never shown, counted, routed or exported.
import { shardOf } from '../write-shards.js';

export interface Expiring {
  /** epoch seconds; absent: never expires (items from before retention existed) */
  expiresAt?: number;
}

/** the one test every reader uses: expired from the second `expiresAt` names */
export const isExpired = (item: Expiring, now: Date): boolean =>
  typeof item.expiresAt === 'number' && item.expiresAt <= Math.floor(now.getTime() / 1000);

/** a response's expiry (epoch seconds): its receipt + its survey's retentionDays; tasks and notifications copy it */
export const expiresAtFor = (receivedAt: Date, retentionDays: number): number => Math.floor(receivedAt.getTime() / 1000) + retentionDays * 86_400;

/**
 * The `expiring` index (responses, followups, notifications): partition `expiryShard` (one of a few, by a hash of the
 * item's key, so writes spread over index partitions), sort `expiryKey` ("<expiresAt, 12 digits>#<key>"). The sweeper
 * reads, per shard, only the items whose expiry has passed: the cost follows what expired, never what is stored.
 */
export const EXPIRY_INDEX = 'expiring';
export const EXPIRY_SHARDS = 4;

export interface ExpiryIndexAttributes {
  expiryShard?: string;
  expiryKey?: string;
}

export const expiryKeyBound = (now: Date) => `${String(Math.floor(now.getTime() / 1000)).padStart(12, '0')}#\uffff`;

/** the index attributes for an item with this key and expiry (none without an expiry) */
export function expiryIndexOf(key: string, expiresAt: number | undefined): ExpiryIndexAttributes {
  if (typeof expiresAt !== 'number') return {};
  return { expiryShard: String(shardOf(key, EXPIRY_SHARDS)), expiryKey: `${String(expiresAt).padStart(12, '0')}#${key}` };
}

/** the item as read: without the index attributes */
export function withoutExpiryIndex<T>(item: T & ExpiryIndexAttributes): T {
  const { expiryShard: _shard, expiryKey: _key, ...rest } = item;
  return rest as T;
}
