// use case: after a rollup, raise an alert for each significant NPS or CSAT drop of the surveys it touched.
// For each survey:
//   1. read its day aggregates of the last 14 UTC days (one query) and merge them into two 7-day windows:
//      the current one ending today (inclusive) and the one before
//   2. compare the windows' metrics (domain: drop-alerts)
//   3. store each drop as an alert with a deterministic id (day + metric) by conditional put, so one alert per
//      survey, metric and day however often the rollup runs; the first run of the day that sees the drop wins
//   4. a new alert is pending delivery (due now) when a webhook is configured, "not-configured" otherwise
// A failing survey does not stop the others; the failures are thrown together at the end, after every other
// survey's alerts are stored.
import type { Clock } from '../clock.js';
import { mergeHistograms } from '../metrics/histogram-of.js';
import { emptyHistogram } from '../metrics/histogram.js';
import { metricsOf } from '../metrics/indices.js';
import type { AggregateStore } from '../rollup/aggregate-store.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { alertIdOf, type Alert, type AlertDelivery } from './alert.js';
import type { AlertStore } from './alert-store.js';
import { dropAlertsOf, dropWindowsAt } from './drop-alerts.js';

export interface RaiseDropAlertsDeps {
  surveys: SurveyStore;
  aggregates: AggregateStore;
  alerts: AlertStore;
  clock: Clock;
  /**
   * whether a webhook URL is configured: new alerts then wait for delivery, otherwise nothing will be sent; a function
   * (configuration read at run time, e.g. a secret) is asked at most once per run, and only when there is a drop
   */
  webhookConfigured: boolean | (() => Promise<boolean>);
}

/** one or more surveys failed; their alerts are raised by a later run (ids are deterministic, so never twice) */
export class RaiseDropAlertsError extends AggregateError {
  constructor(
    readonly failures: { surveyId: string; error: unknown }[],
    /** the alerts the other surveys raised in the same run (stored, and due for delivery like any other) */
    readonly raised: Alert[],
  ) {
    super(
      failures.map((failure) => failure.error),
      `drop alerts failed for ${failures.length} survey(s): ${failures.map((failure) => failure.surveyId).join(', ')}`,
    );
    this.name = 'RaiseDropAlertsError';
  }
}

/** stored values carry 2 decimals: they describe a finding, they are not inputs to further maths */
const round2 = (value: number) => Math.round(value * 100) / 100;

export function makeRaiseDropAlerts({
  surveys,
  aggregates,
  alerts,
  clock,
  webhookConfigured,
}: RaiseDropAlertsDeps) {
  async function raiseFor(surveyId: string, now: Date, configured: () => Promise<boolean>): Promise<Alert[]> {
    const survey = await surveys.get(surveyId);
    if (!survey) return [];
    // 1. two windows from one query
    const windows = dropWindowsAt(now);
    let current = emptyHistogram();
    let previous = emptyHistogram();
    for (const day of await aggregates.list(surveyId, 'day', windows.previous.from, windows.current.to)) {
      if (day.start >= windows.current.from) current = mergeHistograms(current, day.total);
      else previous = mergeHistograms(previous, day.total);
    }
    // 2. drops
    const drops = dropAlertsOf(metricsOf(current, survey), metricsOf(previous, survey));
    // 3. + 4. one alert per survey, metric and day
    const raised: Alert[] = [];
    if (drops.length === 0) return raised;
    const delivery: AlertDelivery = (await configured())
      ? { status: 'pending', attempts: 0, nextAttemptAt: now.toISOString() }
      : { status: 'not-configured', attempts: 0 };
    for (const drop of drops) {
      const alert: Alert = {
        alertId: alertIdOf(windows.current.to, drop.metric),
        surveyId,
        metric: drop.metric,
        window: windows.current,
        previous: windows.previous,
        values: { current: round2(drop.current), previous: round2(drop.previous) },
        answers: drop.answers,
        change: round2(drop.change),
        marginOfError: round2(drop.marginOfError),
        raisedAt: now.toISOString(),
        delivery: { ...delivery },
      };
      if ((await alerts.putIfAbsent(alert)) === 'created') raised.push(alert);
    }
    return raised;
  }

  /** the alerts newly raised for these surveys (an alert already raised today is not raised again) */
  return async function raiseDropAlerts(surveyIds: readonly string[]): Promise<Alert[]> {
    const now = clock.now();
    const raised: Alert[] = [];
    const failures: { surveyId: string; error: unknown }[] = [];
    let asked: Promise<boolean> | undefined;
    const configured = () => {
      asked ??= typeof webhookConfigured === 'function' ? webhookConfigured() : Promise.resolve(webhookConfigured);
      return asked;
    };
    for (const surveyId of new Set(surveyIds)) {
      try {
        raised.push(...(await raiseFor(surveyId, now, configured)));
      } catch (error) {
        failures.push({ surveyId, error });
      }
    }
    if (failures.length > 0) throw new RaiseDropAlertsError(failures, raised);
    return raised;
  };
}
