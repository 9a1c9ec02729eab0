// domain: token buckets, one per key (a client IP, a survey). A bucket holds up to `capacity` tokens and gains
// `refillPerMinute` per minute; a request takes one, or is refused with the seconds until one is back. Pure maths on
// an explicit `now`; the map of buckets is bounded (least recently used key dropped first: a dropped key starts again
// with a full bucket, which only errs on the lenient side).
export interface TokenBucketOptions {
  capacity: number;
  refillPerMinute: number;
  /** at most this many keys are remembered */
  maxKeys?: number;
}

export type Take = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** epoch ms of the last update */
  at: number;
}

/** the bucket's tokens at `now`: refilled since its last update, never above capacity */
export function refilled(bucket: Bucket, now: number, { capacity, refillPerMinute }: TokenBucketOptions): number {
  const elapsed = Math.max(0, now - bucket.at);
  return Math.min(capacity, bucket.tokens + (elapsed * refillPerMinute) / 60_000);
}

/** whole seconds until `tokens` reaches 1 (at least 1) */
export function secondsUntilOne(tokens: number, refillPerMinute: number): number {
  return Math.max(1, Math.ceil(((1 - tokens) * 60) / refillPerMinute));
}

export function createTokenBuckets(options: TokenBucketOptions) {
  const { capacity, refillPerMinute, maxKeys = 10_000 } = options;
  if (!(capacity >= 1) || !(refillPerMinute > 0)) throw new Error('token bucket: capacity >= 1 and refillPerMinute > 0');
  const buckets = new Map<string, Bucket>();

  return {
    take(key: string, now: number): Take {
      const known = buckets.get(key);
      const tokens = known ? refilled(known, now, options) : capacity;
      // re-inserted so the map's order is least recently used first
      buckets.delete(key);
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: now });
        return { allowed: true, remaining: Math.floor(tokens - 1) };
      }
      buckets.set(key, { tokens, at: now });
      return { allowed: false, retryAfterSeconds: secondsUntilOne(tokens, refillPerMinute) };
    },
    /** what `take` would answer, without taking (a key seen only here is not remembered) */
    peek(key: string, now: number): Take {
      const known = buckets.get(key);
      const tokens = known ? refilled(known, now, options) : capacity;
      return tokens >= 1 ? { allowed: true, remaining: Math.floor(tokens) } : { allowed: false, retryAfterSeconds: secondsUntilOne(tokens, refillPerMinute) };
    },
    get size() {
      return buckets.size;
    },
  };
}

export type TokenBuckets = ReturnType<typeof createTokenBuckets>;
