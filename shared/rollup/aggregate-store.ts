// port: where bucket aggregates live. Adapter: dynamo-aggregate-store.
import type { BucketAggregate, BucketPeriod } from './bucket.js';

export interface AggregateStore {
  /** replaces the bucket's aggregate (a recomputation from stored responses, never an increment) */
  put(aggregate: BucketAggregate): Promise<void>;
  /** the survey's aggregates of `period` with from ≤ start ≤ to (bucket keys), oldest first */
  list(surveyId: string, period: BucketPeriod, from: string, to: string): Promise<BucketAggregate[]>;
}
