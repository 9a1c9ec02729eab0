// use case: POST every alert whose delivery is due to the webhook (every rollup run).
//   1. no webhook configured: nothing is read and nothing is sent (pending alerts wait for one)
//   2. read the due alerts from the sparse pending index, most overdue first
//   3. claim each for one attempt (a conditional write), so an overlapping run does not send it as well
//   4. POST it signed, up to 3 attempts a short wait apart (webhook.ts)
//   5. record the outcome: delivered; failed (a permanent answer such as 400, or maxAttempts requests in all);
//      otherwise pending again, due after 1, 2, 4, 8 … minutes (capped) by the number of runs that failed
// Delivery is at least once: a crash between the POST and step 5 leaves the claim to expire, and the alert is sent
// again. Errors of the store propagate (the run fails and the next run resumes from the index).
import type { Clock } from '../clock.js';
import type { AlertDelivery } from './alert.js';
import type { AlertStore } from './alert-store.js';
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

export interface DeliverPendingAlertsDeps {
  alerts: AlertStore;
  /** the webhook, or how to get it (a secret read once per cold start); undefined when none is configured */
  webhook: AlertWebhook | undefined | (() => Promise<AlertWebhook | undefined>);
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
  /** no further alert is started once the run has taken this long (default 40 s; the rollup function has 120 s) */
  budgetMs?: number;
  /** how long a claim holds an alert (default 2 min; far longer than one alert's attempts take) */
  claimMs?: number;
}

export interface DeliveryReport {
  delivered: number;
  /** failed this run, pending again for a later one */
  retrying: number;
  /** given up: a permanent answer, or out of attempts */
  failed: number;
}

export function makeDeliverPendingAlerts({
  alerts,
  webhook,
  clock,
  fetch,
  sleep = realSleep,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  retryDelaysMs = DEFAULT_RETRY_DELAYS_MS,
  maxAttempts = MAX_DELIVERY_ATTEMPTS,
  batchSize = 25,
  budgetMs = 40_000,
  claimMs = 2 * MINUTE_MS,
}: DeliverPendingAlertsDeps) {
  const attemptsPerRun = retryDelaysMs.length + 1;

  return async function deliverPendingAlerts(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0 };
    // 1.
    const target = typeof webhook === 'function' ? await webhook() : webhook;
    if (!target) return report;
    // 2.
    const started = clock.now().getTime();
    const due = await alerts.listDueDeliveries(clock.now(), batchSize);
    for (const alert of due) {
      if (clock.now().getTime() - started > budgetMs) break; // the rest stay due for the next run
      if (alert.delivery.status !== 'pending') continue;
      // 3.
      const claimedUntil = new Date(clock.now().getTime() + claimMs);
      if (!(await alerts.claimDelivery(alert, claimedUntil))) continue;
      // 4.
      const { outcome, attempts: sent } = await postSignedWithRetries(target, webhookBodyOf(alert), {
        fetch,
        sleep,
        timeoutMs,
        retryDelaysMs,
        now: () => clock.now(),
      });
      // 5.
      const attempts = alert.delivery.attempts + sent;
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
      await alerts.recordDelivery(alert, claimedUntil, delivery);
    }
    return report;
  };
}
