// domain: what a client may submit to POST /v1/responses, checked against the survey it answers.
import * as z from '../validation.js';
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
import { commentText } from './comment-text.js';

export const MAX_BODY_BYTES = 16 * 1024;
export const MAX_COMMENT_CHARS = 5_000;
export const MAX_METADATA_PAIRS = 20;
export const MAX_HONEYPOT_CHARS = 1_000;

/**
 * a person never sees a honeypot field (the widget's `hp`, the email form's `website`); any non-blank value means a
 * bot filled the form (whitespace alone does not: a browser or an extension may leave some)
 */
export const isHoneypotFilled = (hp: string | undefined) => hp !== undefined && hp.trim() !== '';

/** first pass: enough to find the survey, so that the rest can be checked against it */
export const submissionEnvelopeSchema = z.looseObject({ surveyId: surveyIdSchema });

export const idempotencyKeySchema = z.string('a string').check(z.minLength(8, 'at least 8 characters'), z.maxLength(128, 'at most 128 characters'), z.regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'));

export const metadataSchema = z
  .record(z.string().check(z.minLength(1, 'at least 1 character'), z.maxLength(64, 'at most 64 characters')), z.string().check(z.maxLength(256, 'at most 256 characters')))
  .check(z.refine((m) => Object.keys(m).length <= MAX_METADATA_PAIRS, `at most ${MAX_METADATA_PAIRS} pairs`));

/**
 * The answers' own fields only: an unanswered question with an id such as `toString` or `constructor` must read as
 * unanswered, not as Object.prototype's function of that name (which zod would refuse as "received function").
 */
const ownAnswers = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.assign(Object.create(null) as object, value) : value;

/**
 * `channels`: the channels a submission may name, the survey's by default. An answer to an email link takes `email`
 * whatever the survey lists now (shared/invitations/email-survey.ts).
 */
export function submissionSchemaFor(survey: Survey, channels: Survey['channels'] = survey.channels) {
  const answerShape: Record<string, z.ZodMiniType<number | undefined>> = {};
  for (const question of scoredQuestions(survey)) {
    const { min, max } = answerRange(question);
    const answer = z.number().check(z.int(`an integer from ${min} to ${max}`), z.gte(min, `at least ${min}`), z.lte(max, `at most ${max}`));
    answerShape[question.id] = question.required ? answer : z.optional(answer);
  }
  const oneOf = channels as [Survey['channels'][number], ...Survey['channels'][number][]];

  return z
    .strictObject({
      surveyId: z.literal(survey.id),
      idempotencyKey: z.optional(idempotencyKeySchema),
      channel: z.enum(oneOf, { error: (issue) => `${issue.input === undefined ? 'required: ' : ''}one of ${oneOf.join(', ')}` }),
      touchpoint: z.optional(touchpointSchema),
      journeyStage: z.optional(journeyStageSchema),
      locale: z.optional(localeSchema),
      customerRef: z.optional(customerRefSchema),
      answers: z.pipe(z.transform(ownAnswers), z.strictObject(answerShape)),
      comment: z.optional(z.string().check(z.maxLength(MAX_COMMENT_CHARS, `at most ${MAX_COMMENT_CHARS} characters`))),
      metadata: z.optional(metadataSchema),
      /** honeypot: a hidden field only bots fill (see submit-response) */
      hp: z.optional(z.string().check(z.maxLength(MAX_HONEYPOT_CHARS, `at most ${MAX_HONEYPOT_CHARS} characters`))),
    })
    .check(
      z.refine((s) => Object.values(s.answers).some((v) => v !== undefined) || commentText(s.comment) !== undefined, {
        message: 'at least one answer or a comment',
        path: ['answers'],
      }),
    );
}

export type Submission = z.infer<ReturnType<typeof submissionSchemaFor>>;

/** what travels on the responses queue: a validated submission stamped by ingest */
export const queuedResponseSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  surveyId: surveyIdSchema,
  receivedAt: z.iso.datetime(),
  /** epoch seconds after which the response is deleted (the survey's retention) */
  expiresAt: z.number().check(z.int(), z.positive()),
  channel: z.string(),
  touchpoint: z.optional(touchpointSchema),
  journeyStage: z.optional(journeyStageSchema),
  locale: z.optional(localeSchema),
  // not customerRefSchema: a message queued by an older ingest still carries its ref as it was (see customer-ref.ts)
  customerRef: z.optional(z.string()),
  answers: z.record(questionIdSchema, z.number()),
  comment: z.optional(z.string()),
  metadata: z.optional(z.record(z.string(), z.string())),
  // email survey links: the campaign and invitation it answers, and which answer of that invitation this is (the
  // epoch ms it was given): a later revision replaces the stored response, an older or equal one is a no-op
  campaign: z.optional(z.string()),
  invitationId: z.optional(z.string()),
  revision: z.optional(z.number().check(z.int(), z.positive())),
});
export type QueuedResponse = z.infer<typeof queuedResponseSchema>;
