// domain support: write sharding of index partition keys. DynamoDB serves about 1,000 writes and 3,000 reads a second
// per partition key value, in the table and in every index; an index key that many items share caps them all. Adding
// "#<n>" to such a key spreads its items over n index partitions, and readers query each and merge.
import { createHash } from 'node:crypto';

/**
 * The shard (0 … count-1) of an item, from its own key: the same item always lands on the same shard, so a rewrite or
 * a redelivery replaces it there. The first byte of a SHA-256 is uniform over 0…255; a count dividing 256 keeps the
 * shards exactly even.
 */
export const shardOf = (key: string, count: number): number => createHash('sha256').update(key).digest()[0]! % count;

/** every shard number, in order: what a reader queries */
export const allShards = (count: number): number[] => Array.from({ length: count }, (_, n) => n);

/** "<value>#<n>": the index partition value of `value`'s n-th shard */
export const shardedValue = (value: string, shard: number): string => `${value}#${shard}`;
