// unit: the widget's retry queue on fake timers and a fake localStorage: a response waits in the outbox until the
// API acknowledges it; failures back off; the next page load and coming back online retry; 24 h is the limit.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QUEUE_KEY } from '../../web-widget/src/core/controller.js';
import { backoffMs, createOutbox, MAX_AGE_MS, type OutboxItem } from '../../web-widget/src/ui/outbox.js';

const T0 = Date.parse('2026-11-02T09:00:00Z');
const URL = 'https://feedback.example/v1/responses';
const body = (key: string) => JSON.stringify({ surveyId: 'demo', idempotencyKey: key, channel: 'web', answers: { nps: 9 } });

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

/** a scripted API: each call takes the next outcome (an HTTP status, or 'offline') */
function api(...outcomes: (number | 'offline')[]) {
  const calls: { at: number; item: OutboxItem }[] = [];
  const send = vi.fn(async (item: OutboxItem) => {
    calls.push({ at: Date.now(), item });
    const outcome = outcomes.shift() ?? 202;
    if (outcome === 'offline') throw new TypeError('Failed to fetch');
    return outcome;
  });
  return { send, calls };
}

describe('the outbox', () => {
  let storage: MemoryStorage;
  let reports: { code: string; status?: number }[];
  const report = (code: string, _message: string, status?: number) => reports.push({ code, status });
  const queued = () => JSON.parse(storage.getItem(QUEUE_KEY) ?? '[]') as OutboxItem[];

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    storage = new MemoryStorage();
    reports = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a finished response at once and keeps nothing once it is acknowledged', async () => {
    // Prepare
    const { send, calls } = api(202);
    const outbox = createOutbox({ storage, send, now: Date.now, report });

    // Act
    await outbox.add('key-0001', URL, body('key-0001'));

    // Assess
    expect(calls).toHaveLength(1);
    expect(calls[0]?.item).toMatchObject({ k: 'key-0001', u: URL, b: body('key-0001') });
    expect(storage.getItem(QUEUE_KEY)).toBeNull();
    expect(reports).toEqual([]);
  });

  it('keeps a response that failed in localStorage and retries it with growing waits until it goes through', async () => {
    // Prepare: offline three times, then a 503, then accepted
    const { send, calls } = api('offline', 'offline', 'offline', 503, 202);
    const outbox = createOutbox({ storage, send, now: Date.now, report });

    // Act
    await outbox.add('key-0002', URL, body('key-0002'));
    const afterFirstFailure = queued();
    await vi.advanceTimersByTimeAsync(60_000);

    // Assess
    expect(afterFirstFailure).toEqual([{ k: 'key-0002', u: URL, b: body('key-0002'), t: T0, n: 1, a: T0 + 2_000 }]);
    expect(calls.map((call) => call.at - T0)).toEqual([0, 2_000, 6_000, 14_000, 30_000]);
    expect(new Set(calls.map((call) => call.item.b))).toEqual(new Set([body('key-0002')]));
    expect(storage.getItem(QUEUE_KEY)).toBeNull();
    expect(reports).toEqual([{ code: 'submit-failed' }, { code: 'submit-failed' }, { code: 'submit-failed' }, { code: 'submit-failed', status: 503 }]);
  });

  it('caps the wait between attempts at five minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(backoffMs)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
  });

  it('retries 408 and 429, and drops a response the API refuses for good', async () => {
    // Prepare
    const { send, calls } = api(429, 408, 400);
    const outbox = createOutbox({ storage, send, now: Date.now, report });

    // Act
    await outbox.add('key-0003', URL, body('key-0003'));
    await vi.advanceTimersByTimeAsync(60_000);

    // Assess
    expect(calls).toHaveLength(3);
    expect(storage.getItem(QUEUE_KEY)).toBeNull();
    expect(reports.at(-1)).toEqual({ code: 'submit-rejected', status: 400 });
  });

  it('is retried on the next page load once its wait is over, with the same idempotency key', async () => {
    // Prepare: this page fails and goes away before its retry timer fires
    const firstPage = api('offline');
    await createOutbox({ storage, send: firstPage.send, now: Date.now, report }).add('key-0004', URL, body('key-0004'));
    vi.clearAllTimers();

    // Act: a page loads 1 s later (still within the wait), then another one 5 s later
    vi.setSystemTime(T0 + 1_000);
    const tooEarly = api();
    await createOutbox({ storage, send: tooEarly.send, now: Date.now, report }).flush();
    vi.clearAllTimers();
    vi.setSystemTime(T0 + 5_000);
    const nextPage = api(202);
    await createOutbox({ storage, send: nextPage.send, now: Date.now, report }).flush();

    // Assess
    expect(tooEarly.calls).toHaveLength(0);
    expect(nextPage.calls).toHaveLength(1);
    expect(JSON.parse(nextPage.calls[0]!.item.b).idempotencyKey).toBe('key-0004');
    expect(storage.getItem(QUEUE_KEY)).toBeNull();
  });

  it('retries at once, ignoring the wait, when the browser is back online', async () => {
    // Prepare: four failures put the next attempt 16 s away
    const { send, calls } = api('offline', 'offline', 'offline', 'offline', 202);
    const outbox = createOutbox({ storage, send, now: Date.now, report });
    await outbox.add('key-0005', URL, body('key-0005'));
    await vi.advanceTimersByTimeAsync(14_000);

    // Act: the 'online' event
    await vi.advanceTimersByTimeAsync(1_000);
    await outbox.flush(true);

    // Assess
    expect(calls.map((call) => call.at - T0)).toEqual([0, 2_000, 6_000, 14_000, 15_000]);
    expect(storage.getItem(QUEUE_KEY)).toBeNull();
  });

  it('drops a response that could not be sent within 24 hours, and says so', async () => {
    // Prepare
    const { send, calls } = api(...Array<'offline'>(1_000).fill('offline'));
    const outbox = createOutbox({ storage, send, now: Date.now, report });
    await outbox.add('key-0006', URL, body('key-0006'));

    // Act
    await vi.advanceTimersByTimeAsync(MAX_AGE_MS + 10 * 60_000);
    const attempts = calls.length;
    await vi.advanceTimersByTimeAsync(MAX_AGE_MS);

    // Assess
    expect(calls.at(-1)!.at - T0).toBeLessThanOrEqual(MAX_AGE_MS);
    expect(calls).toHaveLength(attempts);
    expect(attempts).toBeGreaterThan(250);
    expect(storage.getItem(QUEUE_KEY)).toBeNull();
    expect(reports.at(-1)).toEqual({ code: 'submit-expired' });
  });

  it('sends each waiting response once per flush however often flush is called meanwhile', async () => {
    // Prepare: a slow API
    let release: (status: number) => void = () => undefined;
    const send = vi.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const outbox = createOutbox({ storage, send, now: Date.now, report });

    // Act
    const adding = outbox.add('key-0007', URL, body('key-0007'));
    void outbox.flush(true);
    void outbox.flush(true);
    release(202);
    await adding;
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(send).toHaveBeenCalledTimes(1);
    expect(outbox.items()).toEqual([]);
  });

  it('hands every waiting response to sendBeacon when the page goes away, and keeps it until acknowledged', async () => {
    // Prepare
    const { send } = api('offline', 'offline');
    const outbox = createOutbox({ storage, send, now: Date.now, report });
    await outbox.add('key-0008', URL, body('key-0008'));
    await outbox.add('key-0009', URL, body('key-0009'));
    const beacons: [string, string][] = [];

    // Act
    outbox.beacon((url, payload) => beacons.push([url, payload]));

    // Assess
    expect(beacons).toEqual([
      [URL, body('key-0008')],
      [URL, body('key-0009')],
    ]);
    expect(queued().map((item) => item.k)).toEqual(['key-0008', 'key-0009']);
  });

  it('keeps the queue in the page\'s memory when localStorage refuses writes', async () => {
    // Prepare
    const full = new MemoryStorage();
    full.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    const { send, calls } = api('offline', 202);
    const outbox = createOutbox({ storage: full, send, now: Date.now, report });

    // Act
    await outbox.add('key-0010', URL, body('key-0010'));
    await vi.advanceTimersByTimeAsync(2_000);

    // Assess
    expect(calls).toHaveLength(2);
    expect(outbox.items()).toEqual([]);
  });
});
