// local runtime: intake first. In the cloud the ingest function and the queue's consumers run on separate machines, so
// a burst of submissions never waits for sentiment scoring or table writes. On one laptop they share the cores: the
// gateway thread publishes how busy its event loop is, and while it is busy the back end's pollers hold back (at most
// one batch per interval: queue-poller.ts). The queue absorbs the burst, durably, and the back end catches up when it
// passes. Lowering the back end's OS priority (thread-priority.ts) is not enough on its own: a waking gateway still
// waits for a core behind a running back-end thread, and the back end's garbage collection runs on V8's helper
// threads, which every thread shares.
import { performance } from 'node:perf_hooks';

/**
 * the gateway counts as busy above this share of its event loop's time (smoothed: SAMPLE_WEIGHT). A third of the loop
 * is already thousands of requests/s, several times what the back end can store, so holding it back then costs no
 * storage it could have kept up with. A higher mark (0.6 earlier) failed on a fast machine: there a saturated gateway
 * spends much of each request waiting for its journal commit, its loop read 0.4–0.65, and a back end let loose beside
 * it took the cores that the commits were waiting for.
 */
export const BUSY_GATEWAY_UTILIZATION = 0.3;
const SAMPLE_EVERY_MS = 100;
/**
 * each sample moves the gauge this far towards it: a burst registers within two samples, while a lone busy sample (a
 * garbage collection, code still warming up just after start) stays below the mark and does not hold the back end back
 */
const SAMPLE_WEIGHT = 0.25;

/** a gauge shared between threads: one Int32 in a SharedArrayBuffer, in thousandths */
export const createPressureGauge = () => new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);

/**
 * On the gateway's thread: writes this thread's event-loop utilisation, smoothed, into the gauge every
 * SAMPLE_EVERY_MS, until the returned function is called (which resets it to 0: an idle gateway).
 */
export function publishEventLoopUtilization(gauge: SharedArrayBuffer): () => void {
  const cell = new Int32Array(gauge);
  let last = performance.eventLoopUtilization();
  let level = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    level += SAMPLE_WEIGHT * (performance.eventLoopUtilization(now, last).utilization - level);
    last = now;
    Atomics.store(cell, 0, Math.round(level * 1000));
  }, SAMPLE_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    Atomics.store(cell, 0, 0);
  };
}

/** On another thread: whether the gateway that publishes into `gauge` is busy now */
export function gatewayBusy(gauge: SharedArrayBuffer, threshold = BUSY_GATEWAY_UTILIZATION): () => boolean {
  const cell = new Int32Array(gauge);
  return () => Atomics.load(cell, 0) / 1000 > threshold;
}
