// port: the (survey, minute) buckets whose responses changed since their aggregate was computed. Adapter:
// dynamo-dirty-buckets. Marking always writes a fresh token; clearing succeeds only if the token is still the one
// the rollup read, so a response stored while its bucket was being recomputed leaves the bucket dirty.
export interface DirtyBucket {
  surveyId: string;
  /**
   * "2026-11-23T09:07" (UTC minute). An hour key, "2026-11-23T09", is a mark left by an older process step (which
   * marked hours): the rollup rebuilds all that hour's minutes.
   */
  bucket: string;
  token: string;
  markedAt: string;
}

export interface DirtyBuckets {
  mark(surveyId: string, bucket: string, markedAt: Date): Promise<void>;
  /** up to `limit` dirty buckets, in no particular order */
  list(limit: number): Promise<DirtyBucket[]>;
  /** removes the mark unless it was re-marked since it was read; answers whether it was removed */
  clear(bucket: DirtyBucket): Promise<boolean>;
}
