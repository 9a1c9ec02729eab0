// use case: every minute, send each detractor response not yet routed to the follow-up queue.
//   1. read detractors from the sparse unrouted index, oldest first
//   2. send each to the follow-up queue (a reference: survey, scores, comment, channel, touchpoint, stage, customerRef,
//      campaign)
//   3. only then mark it routed (it leaves the index)
// A crash between 2 and 3 sends it again next run: the consumer's conditional put still opens one task.
import * as z from '../validation.js';
import type { Clock } from '../clock.js';
import type { WorkQueue } from '../queue/work-queue.js';
import type { ResponseStore, StoredResponse } from '../response/stored-response.js';
import type { DetractorReason } from './detractor.js';
import type { ResponseReference } from './task.js';

export interface RoutedDetractor {
  response: ResponseReference;
  reasons: DetractorReason[];
}

export const routedDetractorSchema = z.object({
  response: z.object({
    responseId: z.string().check(z.minLength(1)),
    expiresAt: z.optional(z.number().check(z.int())),
    surveyId: z.string().check(z.minLength(1)),
    receivedAt: z.string(),
    answers: z.record(z.string(), z.number()),
    comment: z.optional(z.string()),
    sentiment: z.nullable(z.looseObject({ status: z.string() })),
    channel: z.string(),
    touchpoint: z.optional(z.string()),
    journeyStage: z.optional(z.string()),
    customerRef: z.optional(z.string()),
    locale: z.optional(z.string()),
    campaign: z.optional(z.string()),
  }),
  reasons: z.array(z.looseObject({ rule: z.string() })),
});

export function referenceOf(response: StoredResponse): ResponseReference {
  const { id, expiresAt, surveyId, receivedAt, answers, comment, sentiment, channel, touchpoint, journeyStage, customerRef, locale, campaign } = response;
  return { responseId: id, expiresAt, surveyId, receivedAt, answers, comment, sentiment, channel, touchpoint, journeyStage, customerRef, locale, campaign };
}

export function makeRouteDetractors({ responses, queue, clock, batchSize = 100 }: { responses: ResponseStore; queue: WorkQueue<RoutedDetractor>; clock: Clock; batchSize?: number }) {
  return async function routeDetractors(): Promise<{ routed: number }> {
    let routed = 0;
    for (;;) {
      const unrouted = await responses.listUnrouted(batchSize);
      for (const response of unrouted) {
        await queue.send({ response: referenceOf(response), reasons: response.followUp?.reasons ?? [] });
        await responses.markRouted(response.id, clock.now());
        routed += 1;
      }
      if (unrouted.length < batchSize) return { routed };
    }
  };
}
