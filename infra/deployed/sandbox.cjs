// deploy-faithful runner: one Lambda sandbox, in a process of its own. It loads the function's bundle as the Node.js
// runtime does (LAMBDA_TASK_ROOT and _HANDLER, `file.export`), with only the environment its template gives it and
// no node_modules to fall back on, then runs one invocation at a time for its parent (function-pool.ts) over IPC.
// Plain CommonJS, run by node itself: nothing of the runner's own loader (tsx) reaches the bundle.
'use strict';
const { join } = require('node:path');

/**
 * the error's own enumerable properties, as JSON: Lambda's runtime logs them with a failed invocation's error (an AWS
 * client error's `$metadata`, a batch failure's record errors), so whatever they hold reaches the log there too
 */
const propertiesOf = (error) => {
  try {
    const properties = JSON.parse(JSON.stringify({ ...error }));
    delete properties.stack;
    return Object.keys(properties).length > 0 ? properties : undefined;
  } catch {
    return undefined;
  }
};

// the stack only when it is text, as Lambda's runtime reports it (code may set `stack` to anything)
const serialize = (error) => {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const properties = propertiesOf(error);
  return { name: String(error.name), message: String(error.message), ...(properties ? { properties } : {}), ...(typeof error.stack === 'string' ? { stack: error.stack } : {}) };
};

const spec = process.env._HANDLER ?? 'index.handler';
const dot = spec.lastIndexOf('.');
let handler;
try {
  const loaded = require(join(process.env.LAMBDA_TASK_ROOT, spec.slice(0, dot)));
  handler = loaded[spec.slice(dot + 1)];
  if (typeof handler !== 'function') throw Object.assign(new Error(`${spec} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
} catch (error) {
  process.send({ type: 'init-error', error: serialize(error) }, () => process.exit(1));
  return;
}

let peakRss = 0;
process.on('message', async ({ id, event, requestId, deadline, functionArn }) => {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  const started = performance.now();
  // what Lambda's REPORT line gives for an invocation: its duration and the sandbox's memory, here the largest resident
  // set seen at the end of an invocation (the kernel's own peak, maxRSS, counts the runner's memory before the fork)
  const report = () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { durationMs: performance.now() - started, maxMemoryUsedMb: peakRss / 2 ** 20 };
  };
  try {
    const result = await handler(event, context);
    // the runtime sends the result as JSON, which the pool holds to Lambda's answer quota (a function or a symbol has
    // no JSON: it answers null)
    const payload = JSON.stringify(result === undefined ? null : result) ?? 'null';
    process.send({ type: 'result', id, payload, report: report() });
  } catch (error) {
    process.send({ type: 'error', id, error: serialize(error), report: report() });
  }
});
// Lambda's Init Duration: the sandbox's start (this process's) to the handler module loaded
process.send({ type: 'ready', initDurationMs: performance.now() });
