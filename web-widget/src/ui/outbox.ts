// widget ui: the retry queue. A finished response goes into the outbox (localStorage "fbw:q") before its first send
// and leaves it only when the API acknowledged it, refused it for good, or it is 24 h old. Every send carries the
// response's idempotency key, so a retry, a second tab or a page-hide beacon can never store it twice.
//   - a network failure, 408, 429 or 5xx: retried with backoff (2 s, 4 s, … at most 5 min) while the page stays
//     open, on the next page load once its time has come, and at once when the browser comes back online
//   - any other 4xx: dropped and reported (retrying cannot make it valid)
import type { Report } from '../core/controller.js';
import { QUEUE_KEY } from '../core/controller.js';
import type { StorageLike } from '../core/rules.js';

export const MAX_AGE_MS = 24 * 3_600_000;
export const MAX_ITEMS = 20;

export interface OutboxItem {
  /** idempotency key */
  k: string;
  /** where to POST */
  u: string;
  /** the JSON body */
  b: string;
  /** queued at (epoch ms) */
  t: number;
  /** failed attempts */
  n: number;
  /** not before (epoch ms) */
  a: number;
}

export interface OutboxDeps {
  storage: StorageLike | undefined;
  /** the HTTP status of one attempt; throws (or rejects) on a network failure */
  send(item: OutboxItem): Promise<number>;
  now(): number;
  report: Report;
}

export interface Outbox {
  add(key: string, url: string, body: string): Promise<void>;
  /** send what is due; `force` ignores the backoff (the browser just came back online) */
  flush(force?: boolean): Promise<void>;
  /** hand every waiting response to the browser as the page goes away */
  beacon(send: (url: string, body: string) => unknown): void;
  items(): OutboxItem[];
}

/** the wait after `failures` failed attempts */
export const backoffMs = (failures: number) => Math.min(2_000 * 2 ** Math.max(0, failures - 1), 300_000);

export function createOutbox({ storage, send, now, report }: OutboxDeps): Outbox {
  // without storage the queue lives as long as the page
  let memory: OutboxItem[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stored = !!storage;
  let busy = false;
  let again: boolean | undefined;

  const items = (): OutboxItem[] => {
    try {
      const raw = stored ? storage?.getItem(QUEUE_KEY) : undefined;
      if (raw === null) return [];
      const parsed: unknown = raw && JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed as OutboxItem[];
    } catch {
      // unreadable: fall back to this page's copy
    }
    return memory;
  };
  const save = (list: OutboxItem[]) => {
    memory = list;
    try {
      if (list.length) storage?.setItem(QUEUE_KEY, JSON.stringify(list));
      else storage?.removeItem(QUEUE_KEY);
      stored = !!storage;
    } catch {
      // quota or refused: this page's copy holds it
      stored = false;
    }
  };
  // re-read before each change: another tab may have sent or queued meanwhile
  const update = (key: string, change: (item: OutboxItem) => OutboxItem | undefined) =>
    save(items().flatMap((item) => (item.k === key ? (change(item) ?? []) : [item])));

  function schedule() {
    clearTimeout(timer);
    const waiting = items();
    if (!waiting.length) return;
    const due = Math.min(...waiting.map((item) => item.a));
    timer = setTimeout(() => void flush(), Math.max(0, due - now()));
  }

  async function flush(force = false): Promise<void> {
    if (busy) {
      again = again || force;
      return;
    }
    busy = true;
    clearTimeout(timer);
    try {
      for (const item of items()) {
        if (now() - item.t > MAX_AGE_MS) {
          update(item.k, () => undefined);
          report('submit-expired', 'a queued response was older than 24 h and was dropped');
          continue;
        }
        if (!force && item.a > now()) continue;
        let status = 0;
        try {
          status = await send(item);
        } catch {
          // offline, DNS, CORS refusal: all look alike from here
        }
        if (status >= 200 && status < 300) {
          update(item.k, () => undefined);
        } else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
          update(item.k, () => undefined);
          report('submit-rejected', 'the response was refused and dropped', status);
        } else {
          update(item.k, (queued) => ({ ...queued, n: queued.n + 1, a: now() + backoffMs(queued.n + 1) }));
          report('submit-failed', 'sending failed; queued for a retry', status || undefined);
        }
      }
    } finally {
      busy = false;
      if (again !== undefined) {
        const retry = again;
        again = undefined;
        void flush(retry);
      } else {
        schedule();
      }
    }
  }

  return {
    add(key, url, body) {
      const t = now();
      save([...items().filter((item) => item.k !== key), { k: key, u: url, b: body, t, n: 0, a: t }].slice(-MAX_ITEMS));
      return flush();
    },
    flush,
    beacon(sendBeacon) {
      for (const item of items()) {
        try {
          sendBeacon(item.u, item.b);
        } catch {
          // the next page load retries it
        }
      }
    },
    items,
  };
}
