// port: erasure markers. Erasing a customer leaves a marker (the customerRef's hash and the erasure time, kept as long
// as the responses queue keeps messages); the process step drops a queued response of that customer received before
// the erasure, so a response still in the queue while its customer was erased is never stored afterwards.
// Adapter: dynamo-erasure-markers.
/**
 * how long a marker is kept: two 14-day lives of a queued message (its first, and one redrive from the DLQ, which
 * operators do: a dead-lettered message keeps the time it was first queued), and a margin
 */
export const ERASURE_MARKER_KEEP_SECONDS = 30 * 86_400;

export interface ErasureMarkers {
  mark(customerRef: string, erasedAt: Date): Promise<void>;
  /** per customerRef that has a marker, the ISO time of its latest erasure */
  erasedAt(customerRefs: readonly string[]): Promise<Map<string, string>>;
}

/** whether a response received at `receivedAt` (ISO) was erased: received no later than the erasure */
export const erasedBefore = (receivedAt: string, erasedAt: string | undefined) => erasedAt !== undefined && Date.parse(receivedAt) <= Date.parse(erasedAt);
