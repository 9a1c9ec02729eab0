// domain: what a client may submit to POST /v1/responses, checked against the survey it answers.
import * as z from 'zod';
import {
  answerRange,
  journeyStageSchema,
  localeSchema,
  questionIdSchema,
  scoredQuestions,
  surveyIdSchema,
  touchpointSchema,
  type Survey,
} from '../survey/schema.js';
import { customerRefSchema } from '../privacy/customer-ref.js';

export const MAX_BODY_BYTES = 16 * 1024;
export const MAX_COMMENT_CHARS = 5_000;
export const MAX_METADATA_PAIRS = 20;
export const MAX_HONEYPOT_CHARS = 1_000;

/** first pass: enough to find the survey, so that the rest can be checked against it */
export const submissionEnvelopeSchema = z.looseObject({ surveyId: surveyIdSchema });

export const idempotencyKeySchema = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

export const metadataSchema = z
  .record(z.string().min(1).max(64), z.string().max(256))
  .refine((m) => Object.keys(m).length <= MAX_METADATA_PAIRS, `at most ${MAX_METADATA_PAIRS} pairs`);

/**
 * The answers' own fields only: an unanswered question with an id such as `toString` or `constructor` must read as
 * unanswered, not as Object.prototype's function of that name (which zod would refuse as "received function").
 */
const ownAnswers = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.assign(Object.create(null) as object, value) : value;

export function submissionSchemaFor(survey: Survey) {
  const answerShape: Record<string, z.ZodType<number | undefined>> = {};
  for (const question of scoredQuestions(survey)) {
    const { min, max } = answerRange(question);
    const answer = z.number().int(`an integer from ${min} to ${max}`).min(min, `at least ${min}`).max(max, `at most ${max}`);
    answerShape[question.id] = question.required ? answer : answer.optional();
  }
  const channels = survey.channels as [Survey['channels'][number], ...Survey['channels'][number][]];

  return z
    .strictObject({
      surveyId: z.literal(survey.id),
      idempotencyKey: idempotencyKeySchema.optional(),
      channel: z.enum(channels, `one of ${channels.join(', ')}`),
      touchpoint: touchpointSchema.optional(),
      journeyStage: journeyStageSchema.optional(),
      locale: localeSchema.optional(),
      customerRef: customerRefSchema.optional(),
      answers: z.preprocess(ownAnswers, z.strictObject(answerShape)),
      comment: z.string().max(MAX_COMMENT_CHARS, `at most ${MAX_COMMENT_CHARS} characters`).optional(),
      metadata: metadataSchema.optional(),
      /** honeypot: a hidden field only bots fill (see submit-response) */
      hp: z.string().max(MAX_HONEYPOT_CHARS, `at most ${MAX_HONEYPOT_CHARS} characters`).optional(),
    })
    .refine((s) => Object.values(s.answers).some((v) => v !== undefined) || (s.comment ?? '').trim() !== '', {
      message: 'at least one answer or a comment',
      path: ['answers'],
    });
}

export type Submission = z.infer<ReturnType<typeof submissionSchemaFor>>;

/** what travels on the responses queue: a validated submission stamped by ingest */
export const queuedResponseSchema = z.object({
  id: z.string().min(1).max(64),
  surveyId: surveyIdSchema,
  receivedAt: z.iso.datetime(),
  /** epoch seconds after which the response is deleted (the survey's retention) */
  expiresAt: z.number().int().positive(),
  channel: z.string(),
  touchpoint: touchpointSchema.optional(),
  journeyStage: journeyStageSchema.optional(),
  locale: localeSchema.optional(),
  // not customerRefSchema: a message queued by an older ingest still carries its ref as it was (see customer-ref.ts)
  customerRef: z.string().optional(),
  answers: z.record(questionIdSchema, z.number()),
  comment: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  // email survey links: the campaign and invitation it answers, and which answer of that invitation this is (the
  // epoch ms it was given): a later revision replaces the stored response, an older or equal one is a no-op
  campaign: z.string().optional(),
  invitationId: z.string().optional(),
  revision: z.number().int().positive().optional(),
});
export type QueuedResponse = z.infer<typeof queuedResponseSchema>;
