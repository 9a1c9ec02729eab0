// use case, with its logs: one run of the rollup schedule.
// 1. recompute the aggregates of dirty minutes, their hours and days (a survey that fails keeps its buckets dirty; the others go on);
// 2. raise an alert for each significant NPS or CSAT drop of the surveys that changed;
// 3. deliver the alerts due to the webhook.
// Any failure makes the run an error (the function-errors alarm), after everything that could run has run.
import type { makeDeliverPendingAlerts } from '../../shared/alerts/deliver-pending-alerts.js';
import { RaiseDropAlertsError, type makeRaiseDropAlerts } from '../../shared/alerts/raise-drop-alerts.js';
import type { makeRollUp } from '../../shared/rollup/roll-up.js';
import { logger } from '../commons/powertools.js';

export interface RollupMinuteDeps {
  rollUp: ReturnType<typeof makeRollUp>;
  raiseDropAlerts: ReturnType<typeof makeRaiseDropAlerts>;
  deliverPendingAlerts: ReturnType<typeof makeDeliverPendingAlerts>;
}

export function makeRollupMinute({ rollUp, raiseDropAlerts, deliverPendingAlerts }: RollupMinuteDeps) {
  return async function rollup() {
    const { failed, ...figures } = await rollUp();
    if (figures.minutesRecomputed + figures.hoursRecomputed > 0 || failed.length > 0) logger.info('rolled up', { ...figures, failed: failed.length });
    for (const { surveyId, error } of failed) logger.error('rollup failed for a survey; its buckets stay dirty', { surveyId, error: error as Error });

    let raised = 0;
    let alertFailures = 0;
    try {
      raised = (await raiseDropAlerts(figures.surveys)).length;
    } catch (error) {
      if (!(error instanceof RaiseDropAlertsError)) throw error;
      // the surveys that did not fail still raised theirs; delivery below still runs
      raised = error.raised.length;
      alertFailures = error.failures.length;
      for (const failure of error.failures) logger.error('drop alerts failed for a survey', { surveyId: failure.surveyId, error: failure.error as Error });
    }
    const deliveries = await deliverPendingAlerts();
    if (raised > 0 || deliveries.delivered + deliveries.retrying + deliveries.failed > 0) logger.info('alerts', { raised, ...deliveries });

    if (failed.length > 0 || alertFailures > 0) throw new Error(`rollup failed for ${failed.length} survey(s), drop alerts for ${alertFailures}`);
    return { ...figures, alertsRaised: raised, ...deliveries };
  };
}
