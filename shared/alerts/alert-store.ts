// port: where alerts live, with their webhook delivery state. Adapter: dynamo-alert-store.
import type { Alert, AlertDelivery } from './alert.js';

/** the key of one alert */
export interface AlertKey {
  surveyId: string;
  alertId: string;
}

export interface AlertStore {
  /** stores the alert unless one with its key exists: raising the same alert twice stores it once */
  putIfAbsent(alert: Alert): Promise<'created' | 'exists'>;
  /** the survey's alerts, newest first */
  listBySurvey(surveyId: string, limit: number): Promise<Alert[]>;
  /** alerts whose delivery is pending and due (nextAttemptAt ≤ now), most overdue first */
  listDueDeliveries(now: Date, limit: number): Promise<Alert[]>;
  /**
   * Takes a due alert for one delivery attempt: moves its nextAttemptAt from the value read (`alert`) to `until`, only
   * if nobody changed it meanwhile. false when another run took it first (or it is no longer pending).
   */
  claimDelivery(alert: Alert, until: Date): Promise<boolean>;
  /**
   * Records the outcome of an attempt claimed until `claimedUntil`: pending again (with its next attempt time),
   * delivered or failed (both leave the pending index). false, and nothing written, when the claim was lost.
   */
  recordDelivery(key: AlertKey, claimedUntil: Date, delivery: AlertDelivery): Promise<boolean>;
}
