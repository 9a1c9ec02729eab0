// decorator: DirtyBuckets whose marks of one bucket, asked for in the same tick, go out as one write. A batch of ten
// responses of one survey and minute then costs one mark instead of ten. Still exact: a mark only ever joins a write
// that has not started yet, so the write begins after every put it answers for, and the rollup that clears it reads
// them all; a failed write fails every mark that joined it (each record is then redelivered).
import type { DirtyBuckets } from './dirty-buckets.js';

export function coalescingDirtyBuckets(inner: DirtyBuckets): DirtyBuckets {
  const notStarted = new Map<string, Promise<void>>();
  return {
    list: (limit) => inner.list(limit),
    clear: (bucket) => inner.clear(bucket),
    mark(surveyId, bucket, markedAt) {
      const key = `${surveyId}#${bucket}`;
      let write = notStarted.get(key);
      if (!write) {
        write = new Promise<void>((resolve, reject) =>
          setImmediate(() => {
            notStarted.delete(key);
            inner.mark(surveyId, bucket, markedAt).then(resolve, reject);
          }),
        );
        notStarted.set(key, write);
      }
      return write;
    },
  };
}
