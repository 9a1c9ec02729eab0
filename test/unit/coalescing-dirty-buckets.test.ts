// unit: marks of one bucket asked for in the same tick are one write; a mark asked for once that write has started
// gets a write of its own (it must begin after the put it answers for); a failed write fails every mark that joined it.
import { describe, expect, it } from 'vitest';
import { coalescingDirtyBuckets } from '../../shared/rollup/coalescing-dirty-buckets.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';

function recordingBuckets(fail = false) {
  const writes: { key: string; startedAt: number }[] = [];
  let tick = 0;
  const inner: DirtyBuckets = {
    async mark(surveyId, hour) {
      writes.push({ key: `${surveyId}#${hour}`, startedAt: tick });
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw new Error('throttled');
    },
    list: async () => [],
    clear: async () => true,
  };
  return { inner, writes, nextTick: () => (tick += 1) };
}

describe('coalescing dirty-bucket marks', () => {
  it('writes once for ten marks of one bucket in one tick, and once per other bucket', async () => {
    // Prepare
    const { inner, writes } = recordingBuckets();
    const dirty = coalescingDirtyBuckets(inner);
    const at = new Date('2026-11-23T09:10:00Z');

    // Act
    await Promise.all([...Array.from({ length: 10 }, () => dirty.mark('demo', '2026-11-23T09', at)), dirty.mark('demo', '2026-11-23T10', at), dirty.mark('other', '2026-11-23T09', at)]);

    // Assess
    expect(writes.map((w) => w.key).sort()).toEqual(['demo#2026-11-23T09', 'demo#2026-11-23T10', 'other#2026-11-23T09']);
  });

  it('gives a mark asked for after the write started a write of its own', async () => {
    // Prepare
    const { inner, writes, nextTick } = recordingBuckets();
    const dirty = coalescingDirtyBuckets(inner);
    const at = new Date('2026-11-23T09:10:00Z');

    // Act: the first write starts (setImmediate), then another put finishes and asks for its mark
    const first = dirty.mark('demo', '2026-11-23T09', at);
    await new Promise((resolve) => setImmediate(resolve));
    nextTick();
    const second = dirty.mark('demo', '2026-11-23T09', at);
    await Promise.all([first, second]);

    // Assess
    expect(writes).toEqual([
      { key: 'demo#2026-11-23T09', startedAt: 0 },
      { key: 'demo#2026-11-23T09', startedAt: 1 },
    ]);
  });

  it('fails every mark that joined a failed write', async () => {
    // Prepare
    const { inner } = recordingBuckets(true);
    const dirty = coalescingDirtyBuckets(inner);
    const at = new Date('2026-11-23T09:10:00Z');

    // Act
    const outcomes = await Promise.allSettled([dirty.mark('demo', '2026-11-23T09', at), dirty.mark('demo', '2026-11-23T09', at)]);

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
