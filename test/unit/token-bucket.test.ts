// unit: the token bucket behind the public routes' rate limits (shared/abuse/token-bucket.ts).
import { describe, expect, it } from 'vitest';
import { createTokenBuckets, refilled, secondsUntilOne } from '../../shared/abuse/token-bucket.js';

describe('token buckets', () => {
  it('allow a full bucket at once, then refuse with the seconds until one token is back', () => {
    // Prepare
    const buckets = createTokenBuckets({ capacity: 3, refillPerMinute: 3 });

    // Act
    const takes = [0, 0, 0, 0].map(() => buckets.take('203.0.113.7', 1_000));

    // Assess: one token every 20 s
    expect(takes.map((t) => t.allowed)).toEqual([true, true, true, false]);
    expect(takes[3]).toEqual({ allowed: false, retryAfterSeconds: 20 });
  });

  it('answer a peek as a take would, without taking', () => {
    // Prepare
    const buckets = createTokenBuckets({ capacity: 2, refillPerMinute: 2 });

    // Act
    const unseen = buckets.peek('a', 0);
    const peeks = [0, 0, 0].map(() => buckets.peek('a', 0));
    buckets.take('a', 0);
    buckets.take('a', 0);
    const empty = buckets.peek('a', 0);

    // Assess: peeking left both tokens for the takes; one token every 30 s
    expect(unseen).toEqual({ allowed: true, remaining: 2 });
    expect(peeks.every((peek) => peek.allowed)).toBe(true);
    expect(empty).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(buckets.peek('b', 0).allowed).toBe(true);
    expect(buckets.size).toBe(1);
  });

  it('refill in proportion to the time elapsed, never above capacity', () => {
    const options = { capacity: 10, refillPerMinute: 60 };
    expect(refilled({ tokens: 0, at: 0 }, 500, options)).toBeCloseTo(0.5, 10);
    expect(refilled({ tokens: 2, at: 0 }, 3_000, options)).toBe(5);
    expect(refilled({ tokens: 9, at: 0 }, 3_600_000, options)).toBe(10);
    // a clock that went backwards adds nothing
    expect(refilled({ tokens: 4, at: 10_000 }, 0, options)).toBe(4);
  });

  it('allow again once the refill has brought one token back, and not before', () => {
    const buckets = createTokenBuckets({ capacity: 1, refillPerMinute: 6 });
    expect(buckets.take('k', 0).allowed).toBe(true);
    const refused = buckets.take('k', 9_999);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take('k', 10_000).allowed).toBe(true);
  });

  it('count each key on its own', () => {
    const buckets = createTokenBuckets({ capacity: 1, refillPerMinute: 1 });
    expect(buckets.take('a', 0).allowed).toBe(true);
    expect(buckets.take('b', 0).allowed).toBe(true);
    expect(buckets.take('a', 0).allowed).toBe(false);
  });

  it('remember at most maxKeys keys, dropping the least recently used one', () => {
    const buckets = createTokenBuckets({ capacity: 1, refillPerMinute: 1, maxKeys: 2 });
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('c', 0);
    expect(buckets.size).toBe(2);
    // "a" was dropped: it starts again with a full bucket; "c" is still empty
    expect(buckets.take('a', 0).allowed).toBe(true);
    expect(buckets.take('c', 0).allowed).toBe(false);
  });

  it('round the wait up to whole seconds, at least one', () => {
    expect(secondsUntilOne(0, 120)).toBe(1);
    expect(secondsUntilOne(0, 7)).toBe(9);
    expect(secondsUntilOne(0.99, 60)).toBe(1);
  });

  it('refuse settings that would never allow anything', () => {
    expect(() => createTokenBuckets({ capacity: 0, refillPerMinute: 1 })).toThrow();
    expect(() => createTokenBuckets({ capacity: 1, refillPerMinute: 0 })).toThrow();
  });
});
