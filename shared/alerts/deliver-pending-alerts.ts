// use case: POST every signed webhook delivery that is due (alerts every rollup run; follow-up notifications every
// follow-up SLA run): generic over what is delivered, through the PendingDeliveries port.
//   1. no webhook configured: nothing is read and nothing is sent (pending alerts wait for one)
//   2. read the due alerts from the sparse pending index, most overdue first
//   3. claim each for one attempt (a conditional write), so an overlapping run does not send it as well
//   4. POST it signed, up to 3 attempts a short wait apart (webhook.ts)
//   5. record the outcome: delivered; failed (a permanent answer such as 400, or maxAttempts requests in all);
//      otherwise pending again, due after 1, 2, 4, 8 … minutes (capped) by the number of runs that failed
// Delivery is at least once: a crash between the POST and step 5 leaves the claim to expire, and the alert is sent
// again. Errors of the store propagate (the run fails and the next run resumes from the index).
import type { Clock } from '../clock.js';
import type { Alert, AlertDelivery } from './alert.js';
import {
  DEFAULT_RETRY_DELAYS_MS,
  DEFAULT_TIMEOUT_MS,
  postSignedWithRetries,
  realSleep,
  webhookBodyOf,
  type AlertWebhook,
  type Fetch,
  type Sleep,
} from './webhook.js';

/** requests per alert before it is given up: 10 runs of 3 attempts, over about 4 hours */
export const MAX_DELIVERY_ATTEMPTS = 30;
const MINUTE_MS = 60_000;
/** the wait after the n-th failed run (n ≥ 1): 1, 2, 4, 8 … minutes, at most an hour */
export const retryDelayAfterRun = (failedRuns: number) => Math.min(2 ** Math.max(0, failedRuns - 1), 60) * MINUTE_MS;

/** what a store of deliverable items offers (AlertStore, the follow-up NotificationStore) */
export interface PendingDeliveries<T extends { delivery: AlertDelivery }> {
  /** items whose delivery is pending and due (nextAttemptAt ≤ now), most overdue first */
  listDueDeliveries(now: Date, limit: number): Promise<T[]>;
  /** takes a due item for one attempt, only if nobody changed it meanwhile; false when another run took it first */
  claimDelivery(item: T, until: Date): Promise<boolean>;
  /** records the outcome of an attempt claimed until `claimedUntil`; false, and nothing written, when the claim was lost */
  recordDelivery(item: T, claimedUntil: Date, delivery: AlertDelivery): Promise<boolean>;
}

type WebhookSource = AlertWebhook | undefined | (() => Promise<AlertWebhook | undefined>);

export interface DeliverPendingDeps<T extends { delivery: AlertDelivery }> {
  store: PendingDeliveries<T>;
  /** the signed JSON body of an item */
  bodyOf: (item: T) => string;
  /** where an item goes: the webhook, or how to get it (its signing secret read from Secrets Manager, kept for minutes); undefined when none is configured */
  webhookFor: (item: T) => WebhookSource;
  /** an item whose webhook is not configured: recorded "not-configured" (true) or left pending for one (default) */
  recordUnconfigured?: boolean;
  clock: Clock;
  fetch?: Fetch;
  sleep?: Sleep;
  /** per request (default 5 s) */
  timeoutMs?: number;
  /** waits between the attempts of one run (default 0.5 s, 1 s: 3 attempts) */
  retryDelaysMs?: readonly number[];
  maxAttempts?: number;
  /** alerts read per run (default 25) */
  batchSize?: number;
  /** no further item is started once the run has taken this long (default 40 s; the rollup function has 120 s) */
  budgetMs?: number;
  /** how long a claim holds an item (default 2 min; far longer than one item's attempts take) */
  claimMs?: number;
}

export interface DeliveryReport {
  delivered: number;
  /** failed this run, pending again for a later one */
  retrying: number;
  /** given up: a permanent answer, or out of attempts */
  failed: number;
}

export type DeliverPendingAlertsDeps = Omit<DeliverPendingDeps<Alert>, 'store' | 'bodyOf' | 'webhookFor'> & {
  alerts: PendingDeliveries<Alert>;
  webhook: WebhookSource;
};

export function makeDeliverPendingAlerts({ alerts, webhook, ...options }: DeliverPendingAlertsDeps) {
  let target: AlertWebhook | undefined;
  const deliver = makeDeliverPending<Alert>({ store: alerts, bodyOf: webhookBodyOf, webhookFor: () => target, ...options });
  return async function deliverPendingAlerts(): Promise<DeliveryReport> {
    // 1. no webhook configured: nothing is read and nothing is sent (pending alerts wait for one)
    target = await resolveWebhook(webhook);
    return target ? deliver() : { delivered: 0, retrying: 0, failed: 0 };
  };
}

const resolveWebhook = (source: WebhookSource) => (typeof source === 'function' ? source() : Promise.resolve(source));

export function makeDeliverPending<T extends { delivery: AlertDelivery }>({
  store,
  bodyOf,
  webhookFor,
  recordUnconfigured = false,
  clock,
  fetch,
  sleep = realSleep,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  retryDelaysMs = DEFAULT_RETRY_DELAYS_MS,
  maxAttempts = MAX_DELIVERY_ATTEMPTS,
  batchSize = 25,
  budgetMs = 40_000,
  claimMs = 2 * MINUTE_MS,
}: DeliverPendingDeps<T>) {
  const attemptsPerRun = retryDelaysMs.length + 1;

  return async function deliverPending(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0 };
    const started = clock.now().getTime();
    const targets = new Map<WebhookSource, Promise<AlertWebhook | undefined>>();
    const targetOf = (item: T) => {
      const source = webhookFor(item);
      if (!targets.has(source)) targets.set(source, resolveWebhook(source));
      return targets.get(source)!;
    };
    // 2.
    for (const item of await store.listDueDeliveries(clock.now(), batchSize)) {
      if (clock.now().getTime() - started > budgetMs) break; // the rest stay due for the next run
      if (item.delivery.status !== 'pending') continue;
      // 1. (per item) no webhook configured for it: it waits for one, or is recorded as never to be sent
      const target = await targetOf(item);
      if (!target && !recordUnconfigured) continue;
      // 3.
      const claimedUntil = new Date(clock.now().getTime() + claimMs);
      if (!(await store.claimDelivery(item, claimedUntil))) continue;
      if (!target) {
        await store.recordDelivery(item, claimedUntil, { status: 'not-configured', attempts: 0 });
        continue;
      }
      // 4.
      const { outcome, attempts: sent } = await postSignedWithRetries(target, bodyOf(item), {
        fetch,
        sleep,
        timeoutMs,
        retryDelaysMs,
        now: () => clock.now(),
      });
      // 5.
      const attempts = item.delivery.attempts + sent;
      const now = clock.now();
      let delivery: AlertDelivery;
      if (outcome.kind === 'delivered') {
        delivery = { status: 'delivered', attempts, deliveredAt: now.toISOString() };
        report.delivered += 1;
      } else if (outcome.kind === 'permanent' || attempts >= maxAttempts) {
        delivery = { status: 'failed', attempts, lastError: outcome.error, failedAt: now.toISOString() };
        report.failed += 1;
      } else {
        const failedRuns = Math.ceil(attempts / attemptsPerRun);
        delivery = {
          status: 'pending',
          attempts,
          nextAttemptAt: new Date(now.getTime() + retryDelayAfterRun(failedRuns)).toISOString(),
          lastError: outcome.error,
        };
        report.retrying += 1;
      }
      await store.recordDelivery(item, claimedUntil, delivery);
    }
    return report;
  };
}
