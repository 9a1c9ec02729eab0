// domain: what a survey is. Stored in the surveys table, edited through the admin API and CLI.
import * as z from '../validation.js';
import { DEFAULT_ROOT_CAUSES, rootCausesSchema } from '../followups/root-causes.js';
import { ANY_ORIGIN, browserOrigin, comparableOrigin } from './allowed-origin.js';
import { CHANNELS } from './channels.js';
import { MAX_DIMENSION_LENGTH, MAX_QUESTION_ID_LENGTH, MAX_QUESTIONS } from './limits.js';

export { CHANNELS };
export const JOURNEY_STAGES = [
  'awareness',
  'consideration',
  'purchase',
  'retention',
  'loyalty',
  'pre-sale',
  'in-sale',
  'after-sale',
  'complaint',
] as const;

export const channelSchema = z.enum(CHANNELS);
export const journeyStageSchema = z.enum(JOURNEY_STAGES);
export type Channel = z.infer<typeof channelSchema>;
export type JourneyStage = z.infer<typeof journeyStageSchema>;

const slug = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" and "_" only'));

export const surveyIdSchema = slug(64);
export const touchpointSchema = slug(64);
export const questionIdSchema = slug(MAX_QUESTION_ID_LENGTH);
// bcp 47 language tag as browsers send it: en, en-GB, zh-CN, zh-Hant-TW
export const localeSchema = z.string().check(z.regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,2}$/, 'a BCP 47 language tag such as en or zh-CN'));

export const ASSIGNMENT_MODES = ['manual', 'round-robin', 'touchpoint'] as const;

/**
 * The schemas of a survey's definition, built on first use rather than as the module loads: some 200 zod schemas, 4–7
 * ms of a cold start (docs/benchmarks.md), which a function whose first invocation reads no survey need not pay.
 * Built once, for every schema below that reads them.
 */
let definitionSchemas: ReturnType<typeof buildDefinitionSchemas> | undefined;
const definitions = () => (definitionSchemas ??= buildDefinitionSchemas());

function buildDefinitionSchemas() {
  const questionBase = { id: questionIdSchema, required: z._default(z.boolean(), false) };

  const npsQuestionSchema = z.strictObject({ ...questionBase, type: z.literal('nps') });
  const csatQuestionSchema = z.strictObject({ ...questionBase, type: z.literal('csat') });
  const cesQuestionSchema = z.strictObject({ ...questionBase, type: z.literal('ces') });
  const ratingQuestionSchema = z.strictObject({
    ...questionBase,
    type: z.literal('rating'),
    dimension: slug(MAX_DIMENSION_LENGTH),
    max: z.literal([5, 10], '5 or 10'),
    weight: z.number().check(z.positive(), z.lte(1000)),
  });
  // the comment question only describes how the comment box looks; its text travels as `comment`
  const textQuestionSchema = z.strictObject({
    id: questionIdSchema,
    type: z.literal('text'),
    shown: z._default(z.boolean(), true),
  });

  const questionSchema = z.discriminatedUnion('type', [
    npsQuestionSchema,
    csatQuestionSchema,
    cesQuestionSchema,
    ratingQuestionSchema,
    textQuestionSchema,
  ]);

  const questionTextSchema = z.strictObject({
    label: z.string().check(z.minLength(1), z.maxLength(500)),
    placeholder: z.optional(z.string().check(z.maxLength(200))),
    minLabel: z.optional(z.string().check(z.maxLength(80))),
    maxLabel: z.optional(z.string().check(z.maxLength(80))),
  });

  const localeTextsSchema = z.strictObject({
    title: z.string().check(z.minLength(1), z.maxLength(200)),
    thankYou: z.optional(z.string().check(z.maxLength(500))),
    questions: z.record(questionIdSchema, questionTextSchema),
  });

  // "*", or an origin a browser sends (allowed-origin.ts)
  const originSchema = z.string().check(
    z.superRefine((value, ctx) => {
      const parsed = value === ANY_ORIGIN ? undefined : browserOrigin(value);
      if (parsed && 'problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
    }),
  );

  const detractorRulesSchema = z.strictObject({
    npsAtMost: z._default(z.nullable(z.number().check(z.int(), z.gte(0), z.lte(10))), 6),
    csatAtMost: z._default(z.nullable(z.number().check(z.int(), z.gte(1), z.lte(5))), 2),
    cesAtMost: z._default(z.nullable(z.number().check(z.int(), z.gte(1), z.lte(7))), 3),
    negativeSentimentAtLeast: z._default(z.nullable(z.number().check(z.gte(0), z.lte(1))), 0.8),
    keywords: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(60))).check(z.maxLength(100)), []),
  });

  // a cx token id as GET /v1/tokens lists it, or its actor id (the access module's own schema imports this file)
  const leadIdSchema = z.string().check(z.regex(/^(cx:)?[0-9a-f]{16}$/, 'a cx token id as listed by GET /v1/tokens'));

  const assignmentSchema = z
    .strictObject({
      mode: z._default(z.enum(ASSIGNMENT_MODES, 'one of manual, round-robin, touchpoint'), 'manual'),
      touchpoints: z.optional(z.record(touchpointSchema, leadIdSchema)),
    })
    .check(
      z.refine((a) => a.mode !== 'touchpoint' || (a.touchpoints !== undefined && Object.keys(a.touchpoints).length > 0), {
        path: ['touchpoints'],
        message: 'mode touchpoint needs touchpoints: { "<touchpoint>": "<cx token id>" }',
      }),
    );

  /** how a detractor's follow-up task is worked: the SLA is the time to first contact */
  const followUpSchema = z.strictObject({
    firstContactHours: z._default(z.number().check(z.int(), z.gte(1), z.lte(720)), 24),
    /** what a lead may close a task with (root-causes.ts); an admin edits the list with the survey */
    rootCauses: z._default(rootCausesSchema, () => [...DEFAULT_ROOT_CAUSES]),
    assignment: z.prefault(assignmentSchema, {}),
  });

  /** personal data in comments: `redact` (default) replaces e-mails, phones, cards, IBANs (and, in the cloud, what
   * Comprehend finds in en/es) before the comment is scored, stored or sent; `keep` stores it as written */
  const privacySchema = z.strictObject({
    comments: z._default(z.enum(['redact', 'keep'], 'one of redact, keep'), 'redact'),
  });

  const surveySchema = z
    .strictObject({
      id: surveyIdSchema,
      title: z.string().check(z.minLength(1), z.maxLength(200)),
      defaultLocale: z._default(localeSchema, 'en'),
      texts: z.record(localeSchema, localeTextsSchema).check(z.refine((t) => Object.keys(t).length > 0, 'at least one locale')),
      questions: z.array(questionSchema).check(z.minLength(1), z.maxLength(MAX_QUESTIONS)),
      // each channel once (a repeat is dropped, also from a survey stored before): repeats only grew the survey and every
      // answer that lists surveys
      channels: z.pipe(
        z.array(channelSchema).check(z.minLength(1)),
        z.transform((channels) => [...new Set(channels)]),
      ),
      // each origin once, as a browser sends it: "HTTPS://Shop.Example.com:443" is https://shop.example.com
      allowedOrigins: z._default(
        z.pipe(
          z.array(originSchema).check(z.maxLength(50)),
          z.transform((origins) => [...new Set(origins.map(comparableOrigin))]),
        ),
        [],
      ),
      defaultTouchpoint: z.optional(touchpointSchema),
      defaultJourneyStage: z.optional(journeyStageSchema),
      detractorRules: z.prefault(detractorRulesSchema, {}),
      followUp: z.prefault(followUpSchema, {}),
      retentionDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(3650)), 365),
      privacy: z.prefault(privacySchema, {}),
    })
    .check(
      z.superRefine((survey, ctx) => {
        const ids = new Set<string>();
        survey.questions.forEach((q, i) => {
          if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
          ids.add(q.id);
        });
        if (survey.questions.filter((q) => q.type === 'text').length > 1) {
          ctx.addIssue({ code: 'custom', path: ['questions'], message: 'at most one text (comment) question' });
        }
        if (!survey.texts[survey.defaultLocale]) {
          ctx.addIssue({ code: 'custom', path: ['texts'], message: `texts for the default locale "${survey.defaultLocale}" are required` });
        }
        for (const [locale, texts] of Object.entries(survey.texts)) {
          for (const qid of Object.keys(texts.questions)) {
            if (!ids.has(qid)) ctx.addIssue({ code: 'custom', path: ['texts', locale, 'questions', qid], message: 'no question with this id' });
          }
        }
      }),
    );

  return { question: questionSchema, detractorRules: detractorRulesSchema, assignment: assignmentSchema, survey: surveySchema };
}

type DefinitionSchemas = ReturnType<typeof buildDefinitionSchemas>;
export type Question = z.infer<DefinitionSchemas['question']>;
export type ScoredQuestion = Exclude<Question, { type: 'text' }>;
export type DetractorRules = z.infer<DefinitionSchemas['detractorRules']>;
/** who a new task goes to: nobody (manual), the survey's leads in turn (round-robin), or the lead its touchpoint names */
export const assignmentSchema = z.lazy(() => definitions().assignment);
export type Assignment = z.infer<typeof assignmentSchema>;
export const surveySchema = z.lazy(() => definitions().survey);

export type Survey = z.infer<typeof surveySchema>;
export type SurveyInput = z.input<typeof surveySchema>;

/** the id of the survey's NPS question, if it has one */
export const npsQuestionId = (survey: Pick<Survey, 'questions'>): string | undefined => survey.questions.find((q) => q.type === 'nps')?.id;

export function scoredQuestions(survey: Survey): ScoredQuestion[] {
  return survey.questions.filter((q): q is ScoredQuestion => q.type !== 'text');
}

export { answerRange } from './answer-range.js';
