// port: where alerts live, with their webhook delivery state. Adapter: dynamo-alert-store.
import type { Alert } from './alert.js';
import type { PendingDeliveries } from './deliver-pending-alerts.js';

/** the key of one alert */
export interface AlertKey {
  surveyId: string;
  alertId: string;
}

export interface AlertStore extends PendingDeliveries<Alert> {
  /** stores the alert unless one with its key exists: raising the same alert twice stores it once */
  putIfAbsent(alert: Alert): Promise<'created' | 'exists'>;
  /** the survey's alerts, newest first */
  listBySurvey(surveyId: string, limit: number): Promise<Alert[]>;
}
