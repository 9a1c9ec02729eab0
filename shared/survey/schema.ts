// domain: what a survey is. Stored in the surveys table, edited through the admin API and CLI.
import * as z from 'zod';

export const CHANNELS = ['web', 'email', 'api', 'kiosk', 'app', 'call-centre', 'chat', 'sms'] as const;
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

const slug = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" and "_" only');

export const surveyIdSchema = slug(64);
export const touchpointSchema = slug(64);
export const questionIdSchema = slug(40);
// bcp 47 language tag as browsers send it: en, en-GB, zh-CN, zh-Hant-TW
export const localeSchema = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,2}$/, 'a BCP 47 language tag such as en or zh-CN');

const questionBase = { id: questionIdSchema, required: z.boolean().default(false) };

export const npsQuestionSchema = z.strictObject({ ...questionBase, type: z.literal('nps') });
export const csatQuestionSchema = z.strictObject({ ...questionBase, type: z.literal('csat') });
export const cesQuestionSchema = z.strictObject({ ...questionBase, type: z.literal('ces') });
export const ratingQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('rating'),
  dimension: slug(64),
  max: z.union([z.literal(5), z.literal(10)]),
  weight: z.number().positive().max(1000),
});
// the comment question only describes how the comment box looks; its text travels as `comment`
export const textQuestionSchema = z.strictObject({
  id: questionIdSchema,
  type: z.literal('text'),
  shown: z.boolean().default(true),
});

export const questionSchema = z.discriminatedUnion('type', [
  npsQuestionSchema,
  csatQuestionSchema,
  cesQuestionSchema,
  ratingQuestionSchema,
  textQuestionSchema,
]);
export type Question = z.infer<typeof questionSchema>;
export type ScoredQuestion = Exclude<Question, { type: 'text' }>;

const questionTextSchema = z.strictObject({
  label: z.string().min(1).max(500),
  placeholder: z.string().max(200).optional(),
  minLabel: z.string().max(80).optional(),
  maxLabel: z.string().max(80).optional(),
});

export const localeTextsSchema = z.strictObject({
  title: z.string().min(1).max(200),
  thankYou: z.string().max(500).optional(),
  questions: z.record(questionIdSchema, questionTextSchema),
});

const originSchema = z.union([
  z.literal('*'),
  z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'an origin such as https://shop.example.com'),
]);

export const detractorRulesSchema = z.strictObject({
  npsAtMost: z.number().int().min(0).max(10).nullable().default(6),
  csatAtMost: z.number().int().min(1).max(5).nullable().default(2),
  cesAtMost: z.number().int().min(1).max(7).nullable().default(3),
  negativeSentimentAtLeast: z.number().min(0).max(1).nullable().default(0.8),
  keywords: z.array(z.string().min(1).max(60)).max(100).default([]),
});
export type DetractorRules = z.infer<typeof detractorRulesSchema>;

/** how a detractor's follow-up task is worked: the SLA is the time to first contact */
export const followUpSchema = z.strictObject({
  firstContactHours: z.number().int().min(1).max(720).default(24),
});

/** personal data in comments: `redact` (default) replaces e-mails, phones, cards, IBANs (and, in the cloud, what
 * Comprehend finds in en/es) before the comment is scored, stored or sent; `keep` stores it as written */
export const privacySchema = z.strictObject({
  comments: z.enum(['redact', 'keep'], 'one of redact, keep').default('redact'),
});

export const surveySchema = z
  .strictObject({
    id: surveyIdSchema,
    title: z.string().min(1).max(200),
    defaultLocale: localeSchema.default('en'),
    texts: z.record(localeSchema, localeTextsSchema).refine((t) => Object.keys(t).length > 0, 'at least one locale'),
    questions: z.array(questionSchema).min(1).max(30),
    channels: z.array(channelSchema).min(1),
    allowedOrigins: z.array(originSchema).max(50).default([]),
    defaultTouchpoint: touchpointSchema.optional(),
    defaultJourneyStage: journeyStageSchema.optional(),
    detractorRules: detractorRulesSchema.prefault({}),
    followUp: followUpSchema.prefault({}),
    retentionDays: z.number().int().min(1).max(3650).default(365),
    privacy: privacySchema.prefault({}),
  })
  .superRefine((survey, ctx) => {
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
  });

export type Survey = z.infer<typeof surveySchema>;
export type SurveyInput = z.input<typeof surveySchema>;

export function scoredQuestions(survey: Survey): ScoredQuestion[] {
  return survey.questions.filter((q): q is ScoredQuestion => q.type !== 'text');
}

/** the inclusive answer range of a scored question */
export function answerRange(question: ScoredQuestion): { min: number; max: number } {
  switch (question.type) {
    case 'nps':
      return { min: 0, max: 10 };
    case 'csat':
      return { min: 1, max: 5 };
    case 'ces':
      return { min: 1, max: 7 };
    case 'rating':
      return { min: 1, max: question.max };
  }
}
