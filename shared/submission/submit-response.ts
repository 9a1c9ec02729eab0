// use case: accept a survey response from a widget, an email page or an API client.
//   1. find the survey the body names (404 if none)
//   2. check the browser origin against the survey's allowed origins (403)
//   3. check the body against the survey: types, ranges, unknown fields (400 with every offending path)
//   4. stamp it with an id (derived from the idempotency key when given), receipt time and expiry
//   5. enqueue it; only then is it acknowledged
//   (a filled honeypot `hp`: answered exactly like step 5, with the id it would have had, but nothing is enqueued, so
//   a bot cannot tell it was caught)
import type { Clock } from '../clock.js';
import { ApiError, detailsFromZod, invalidRequest, notFound } from '../errors.js';
import { expiresAtFor } from '../privacy/retention.js';
import type { WorkQueue } from '../queue/work-queue.js';
import { responseIdFor } from '../response/response-id.js';
import { isAllowedOrigin } from '../survey/allowed-origin.js';
import type { Survey } from '../survey/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { isHoneypotFilled, submissionEnvelopeSchema, submissionSchemaFor, type QueuedResponse } from './schema.js';
import { commentText } from './comment-text.js';

export interface SubmitResponseDeps {
  surveys: SurveyStore;
  queue: WorkQueue<QueuedResponse>;
  clock: Clock;
}

export interface SubmitRequest {
  body: unknown;
  /** the Origin header of a browser call; absent for server-to-server calls */
  origin?: string;
}

/** both sides in their browser form: a survey stored before its origins were kept so may hold "https://shop.example.com:443" */
export function isOriginAllowed(survey: Survey, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  return isAllowedOrigin(survey.allowedOrigins, origin);
}

export function makeSubmitResponse({ surveys, queue, clock }: SubmitResponseDeps) {
  // a survey object is reused while the survey store caches it: build its schema once for all its submissions
  const schemas = new WeakMap<Survey, ReturnType<typeof submissionSchemaFor>>();
  const schemaOf = (survey: Survey) => {
    let schema = schemas.get(survey);
    if (!schema) schemas.set(survey, (schema = submissionSchemaFor(survey)));
    return schema;
  };

  return async function submitResponse({ body, origin }: SubmitRequest): Promise<{ id: string; survey: Survey; discarded: boolean }> {
    const envelope = submissionEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw invalidRequest(detailsFromZod(envelope.error));

    const survey = await surveys.get(envelope.data.surveyId);
    if (!survey) throw notFound('survey');

    if (!isOriginAllowed(survey, origin)) {
      throw new ApiError(403, 'origin not allowed', [{ path: 'origin', reason: 'not in the survey\'s allowed origins' }]);
    }

    const parsed = schemaOf(survey).safeParse(body);
    if (!parsed.success) throw invalidRequest(detailsFromZod(parsed.error));
    const submission = parsed.data;

    const id = responseIdFor(survey.id, submission.idempotencyKey);
    if (isHoneypotFilled(submission.hp)) return { id, survey, discarded: true };

    const receivedAt = clock.now();
    const message: QueuedResponse = {
      id,
      surveyId: survey.id,
      receivedAt: receivedAt.toISOString(),
      expiresAt: expiresAtFor(receivedAt, survey.retentionDays),
      channel: submission.channel,
      touchpoint: submission.touchpoint ?? survey.defaultTouchpoint,
      journeyStage: submission.journeyStage ?? survey.defaultJourneyStage,
      locale: submission.locale,
      customerRef: submission.customerRef,
      answers: Object.fromEntries(Object.entries(submission.answers).filter(([, v]) => v !== undefined)) as Record<string, number>,
      comment: commentText(submission.comment),
      metadata: submission.metadata,
    };
    await queue.send(message);
    return { id: message.id, survey, discarded: false };
  };
}
