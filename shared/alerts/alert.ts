// domain: what an alert is. A significant drop of a survey's NPS or CSAT between two equal windows of UTC days,
// stored once per (survey, metric, day) in the alerts table, listed by the admin API and posted to the webhook.

export const ALERT_METRICS = ['nps', 'csat'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** an inclusive range of UTC days, e.g. { from: "2026-11-17", to: "2026-11-23" } */
export interface DayRange {
  from: string;
  to: string;
}

export type AlertDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'not-configured';

/** where the alert's webhook delivery stands; `attempts` counts the POST requests sent so far */
export type AlertDelivery =
  | { status: 'pending'; attempts: number; nextAttemptAt: string; lastError?: string }
  | { status: 'delivered'; attempts: number; deliveredAt: string }
  | { status: 'failed'; attempts: number; lastError: string; failedAt: string }
  | { status: 'not-configured'; attempts: 0 };

export interface Alert {
  /** "<window.to>#<metric>-drop": one alert per survey, metric and day, and the ids sort oldest to newest */
  alertId: string;
  surveyId: string;
  metric: AlertMetric;
  /** the current window (7 UTC days ending with the day the alert was raised, inclusive) */
  window: DayRange;
  /** the window it is compared with: the 7 days before */
  previous: DayRange;
  /** the metric's value in each window: NPS score (−100…100) or CSAT percentage (0…100), 2 decimals */
  values: { current: number; previous: number };
  /** answers to the metric's question in each window */
  answers: { current: number; previous: number };
  /** values.current − values.previous (negative), in points */
  change: number;
  /** half the width of the change's 95% interval (metrics/significance.ts), in points; that interval lies below 0 */
  marginOfError: number;
  /** ISO time of the rollup run that found the drop */
  raisedAt: string;
  delivery: AlertDelivery;
}

/** the alert id of a metric's drop found on `day` */
export const alertIdOf = (day: string, metric: AlertMetric) => `${day}#${metric}-drop`;

/** what the webhook receives of an alert: everything but its delivery bookkeeping */
export type AlertPayload = Omit<Alert, 'delivery'>;

export function payloadOf({ delivery: _delivery, ...payload }: Alert): AlertPayload {
  return payload;
}
