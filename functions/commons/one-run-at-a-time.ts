// shared by the scheduled handlers whose runs must never overlap (rollup, followupRouter, followupSla,
// emailSurveyFinalise, sweepExpired): each run holds its function's lease in the run leases table (RUNLEASES_TABLE,
// bound by the stack to those functions only) from start to end. The lease lasts until the invocation's own deadline,
// read from its Lambda context (the function's Timeout), plus a margin (shared/run-lease.ts). A run that finds the
// lease held logs that it skipped and does nothing: the next scheduled run covers its work.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { tableEnvName, type FunctionName } from '../../infra/topology.js';
import type { DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { systemClock } from '../../shared/clock.js';
import { createDynamoRunLeases } from '../../shared/dynamo-run-lease.js';
import { leaseUntil, runUnderLease } from '../../shared/run-lease.js';
import * as z from '../../shared/validation.js';
import { readEnv } from './env.js';
import { logger } from './powertools.js';

/** what a run that found its lease held answers */
export interface SkippedRun {
  skipped: 'previous run still in progress';
}

export function oneRunAtATime<E, R>(name: FunctionName, db: DynamoDBDocumentClient, run: (event: E, context: Context) => Promise<R>) {
  const env = readEnv({ [tableEnvName('runLeases')]: z.string().check(z.minLength(1)) });
  const leases = createDynamoRunLeases(db, env[tableEnvName('runLeases')]);

  return async function leased(event: E, context: Context): Promise<R | SkippedRun> {
    const now = systemClock.now();
    const deadline = new Date(now.getTime() + context.getRemainingTimeInMillis());
    // this invocation's own: a retry or a duplicate delivery of the event has the same request id
    const holder = `${context.awsRequestId}:${randomUUID()}`;
    const outcome = await runUnderLease(leases, { name, holder, until: leaseUntil(deadline) }, now, () => run(event, context), (error) =>
      logger.warn('run lease not given back: it expires by itself', { lease: name, errorName: error instanceof Error ? error.name : 'unknown' }),
    );
    if (outcome.ran) return outcome.result;
    // the lease's name only: nothing about the work it guards
    logger.warn('run skipped: the previous run still holds the lease', { lease: name });
    return { skipped: 'previous run still in progress' };
  };
}
