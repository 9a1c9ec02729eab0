// port: where bucket aggregates live. Adapter: dynamo-aggregate-store.
import type { BucketAggregate, RollupPeriod } from './bucket.js';

export interface AggregateStore {
  /** replaces the bucket's aggregate (a recomputation from stored responses or parts, never an increment) */
  put(aggregate: BucketAggregate): Promise<void>;
  /**
   * the survey's aggregates of `period` with from ≤ start ≤ to (bucket keys), oldest first. Strongly consistent: the
   * rollup merges parts it may have written a moment before, and a stale part would be merged in for good.
   */
  list(surveyId: string, period: RollupPeriod, from: string, to: string): Promise<BucketAggregate[]>;
}
