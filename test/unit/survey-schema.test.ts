// unit: survey definitions and the submission schema built from them.
import { describe, expect, it } from 'vitest';
import { detailsFromZod } from '../../shared/errors.js';
import { responseIdFor } from '../../shared/response/response-id.js';
import { languageOfLocale } from '../../shared/sentiment/port.js';
import { commentText } from '../../shared/submission/comment-text.js';
import { submissionSchemaFor } from '../../shared/submission/schema.js';
import { isOriginAllowed } from '../../shared/submission/submit-response.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { cachedSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { surveySchema, type Survey } from '../../shared/survey/schema.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';

const demo = (): Survey => surveySchema.parse(demoSurvey(['https://shop.example.com']));

describe('a survey definition', () => {
  it('parses the demo survey with defaults for detractor rules and retention', () => {
    const survey = demo();
    expect(survey.detractorRules).toEqual({ npsAtMost: 6, csatAtMost: 2, cesAtMost: 3, negativeSentimentAtLeast: 0.8, keywords: [] });
    expect(survey.retentionDays).toBe(365);
    expect(survey.questions.filter((q) => q.type === 'rating').map((q) => q.type === 'rating' && q.dimension)).toEqual([
      'product-quality',
      'service-quality',
      'price',
    ]);
  });

  it('rejects duplicate question ids, two comment questions, texts for unknown questions and a missing default locale', () => {
    // Prepare
    const input = demoSurvey([]);
    const broken = {
      ...input,
      defaultLocale: 'fr',
      questions: [...input.questions, { id: 'nps', type: 'nps' }, { id: 'other', type: 'text' }],
      texts: { ...input.texts, en: { ...input.texts.en!, questions: { ...input.texts.en!.questions, ghost: { label: 'Boo' } } } },
    };

    // Act
    const result = surveySchema.safeParse(broken);

    // Assess
    expect(result.success).toBe(false);
    const reasons = detailsFromZod(result.error!).map((d) => `${d.path}: ${d.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'questions.7.id: duplicate question id "nps"',
        'questions: at most one text (comment) question',
        'texts: texts for the default locale "fr" are required',
        'texts.en.questions.ghost: no question with this id',
      ]),
    );
  });

  it('keeps each channel once, also in a survey stored with repeats', () => {
    const parsed = surveySchema.parse({ ...demoSurvey([]), channels: ['web', 'email', 'web', 'email', 'web'] });
    expect(parsed.channels).toEqual(['web', 'email']);
  });

  it('accepts a rating only on a 1–5 or 1–10 scale with a positive weight', () => {
    const rating = (max: number, weight: number) =>
      surveySchema.safeParse({
        ...demoSurvey([]),
        questions: [{ id: 'q', type: 'rating', dimension: 'price', max, weight }],
        texts: { en: { title: 'Price', questions: { q: { label: 'Price fairness' } } } },
      }).success;
    expect([rating(5, 1), rating(10, 0.5), rating(7, 1), rating(5, 0), rating(5, -1)]).toEqual([true, true, false, false, false]);
  });

  it('names the reason of a rating scale it refuses and of a locale key it refuses, not "Invalid input" or "Invalid key in record"', () => {
    // Act: a 1–7 rating, and texts for a locale written with an underscore
    const result = surveySchema.safeParse({
      ...demoSurvey([]),
      questions: [{ id: 'q', type: 'rating', dimension: 'price', max: 7, weight: 1 }],
      texts: { en: { title: 'Price', questions: { q: { label: 'Price fairness' } } }, en_GB: { title: 'Price', questions: {} } },
    });

    // Assess
    expect(detailsFromZod(result.error!)).toEqual(
      expect.arrayContaining([
        { path: 'questions.0.max', reason: '5 or 10' },
        { path: 'texts.en_GB', reason: 'invalid key: a BCP 47 language tag such as en or zh-CN' },
      ]),
    );
    expect(result.error!.issues).toHaveLength(2);
  });
});

describe('a submission checked against its survey', () => {
  const schema = submissionSchemaFor(demo());
  const valid = { surveyId: 'demo', channel: 'web', answers: { nps: 0 } };

  it('says a missing channel is required, and a wrong one which it may be', () => {
    const { channel: _, ...withoutChannel } = valid;
    expect(detailsFromZod(schema.safeParse(withoutChannel).error!)).toEqual([{ path: 'channel', reason: 'required: one of web, email, api' }]);
    expect(detailsFromZod(schema.safeParse({ ...valid, channel: 'sms' }).error!)).toEqual([{ path: 'channel', reason: 'one of web, email, api' }]);
  });

  it('accepts every question at both ends of its range', () => {
    const ends = [
      { nps: 0, csat: 1, ces: 1, product: 1, service: 1, price: 1 },
      { nps: 10, csat: 5, ces: 7, product: 5, service: 5, price: 5 },
    ];
    for (const answers of ends) expect(schema.safeParse({ ...valid, answers }).success).toBe(true);
  });

  it('rejects scores outside their range or not whole, naming each answer', () => {
    const result = schema.safeParse({ ...valid, answers: { nps: -1, csat: 6, ces: 0, product: 4.5 } });
    expect(detailsFromZod(result.error!).map((d) => d.path).sort()).toEqual(['answers.ces', 'answers.csat', 'answers.nps', 'answers.product']);
  });

  it('requires a required question (the demo NPS) and at least one answer or comment, saying "required"', () => {
    const noNps = schema.safeParse({ ...valid, answers: { csat: 4 } });
    const noAnswers = schema.safeParse({ surveyId: 'demo', channel: 'web', comment: 'Late again' });
    expect(detailsFromZod(noNps.error!)).toEqual([{ path: 'answers.nps', reason: 'required' }]);
    expect(detailsFromZod(noAnswers.error!)).toEqual([{ path: 'answers', reason: 'required' }]);
  });

  it('rejects a channel the survey does not allow, an idempotency key of the wrong shape and metadata that is not string pairs', () => {
    const result = schema.safeParse({ ...valid, channel: 'sms', idempotencyKey: 'short', metadata: { plan: 3 } });
    expect(detailsFromZod(result.error!).map((d) => d.path).sort()).toEqual(['channel', 'idempotencyKey', 'metadata.plan']);
    expect(detailsFromZod(result.error!).find((d) => d.path === 'idempotencyKey')?.reason).toBe('at least 8 characters');
  });

  it('names why a metadata key is refused', () => {
    const result = schema.safeParse({ ...valid, metadata: { '': 'x', ['k'.repeat(65)]: 'y' } });
    expect(detailsFromZod(result.error!)).toEqual([
      { path: 'metadata.', reason: 'invalid key: at least 1 character' },
      { path: `metadata.${'k'.repeat(65)}`, reason: 'invalid key: at most 64 characters' },
    ]);
  });

  it('does not count a comment of only invisible characters as a comment: an answer without scores is refused', () => {
    // Prepare: a survey none of whose questions is required, so that a comment alone would do
    const optional = surveySchema.parse({ ...demoSurvey([]), questions: demoSurvey([]).questions.map((q) => (q.type === 'nps' ? { ...q, required: false } : q)) });
    const invisible = ['\u0000', '\u200b\u200c\u200d', '\u2060\ufeff', ' \u00ad\u200e\u202e\u2066 ', '\u3164', '\u2800', '\ufe0f', '\t\n\u0085\u3000'];

    // Act
    const refused = invisible.map((comment) => submissionSchemaFor(optional).safeParse({ ...valid, answers: {}, comment }));
    const visible = submissionSchemaFor(optional).safeParse({ ...valid, answers: {}, comment: '\u200b❤️\u200b' });

    // Assess
    for (const result of refused) expect(detailsFromZod(result.error!)).toEqual([{ path: 'answers', reason: 'at least one answer or a comment' }]);
    expect(visible.success).toBe(true);
  });

  it('stores a comment trimmed, and one with nothing visible in it as no comment', () => {
    expect(commentText('  Late again.\n')).toBe('Late again.');
    expect(commentText('\u200b\u0000 \u202e')).toBeUndefined();
    expect(commentText('')).toBeUndefined();
    expect(commentText(undefined)).toBeUndefined();
    expect(commentText('\u05e9\u05dc\u05d5\u05dd\u200f')).toBe('\u05e9\u05dc\u05d5\u05dd\u200f');
  });

  it('does not accept the comment as an answer: it travels as the top-level comment', () => {
    const result = schema.safeParse({ ...valid, answers: { nps: 5, comment: 'hello' } });
    expect(detailsFromZod(result.error!)).toEqual([{ path: 'answers.comment', reason: 'unknown field' }]);
  });
});

describe('response ids', () => {
  it('are the same for the same survey and idempotency key, and differ otherwise', () => {
    expect(responseIdFor('demo', 'order-1')).toBe(responseIdFor('demo', 'order-1'));
    expect(responseIdFor('demo', 'order-1')).not.toBe(responseIdFor('demo', 'order-2'));
    expect(responseIdFor('demo', 'order-1')).not.toBe(responseIdFor('other', 'order-1'));
    expect(responseIdFor('demo', undefined)).not.toBe(responseIdFor('demo', undefined));
  });
});

describe('origin checks', () => {
  it('allow server-to-server calls, listed origins (case-insensitively) and "*", and refuse the rest', () => {
    const survey = demo();
    expect(isOriginAllowed(survey, undefined)).toBe(true);
    expect(isOriginAllowed(survey, 'https://SHOP.example.com')).toBe(true);
    expect(isOriginAllowed(survey, 'https://shop.example.com.evil.io')).toBe(false);
    expect(isOriginAllowed({ ...survey, allowedOrigins: ['*'] }, 'https://anywhere.example')).toBe(true);
    expect(isOriginAllowed(survey, 'null')).toBe(false);
    expect(isOriginAllowed({ ...survey, allowedOrigins: ['*'] }, 'null')).toBe(true);
  });

  it('compare the browser forms: a survey stored with a default port or capitals still allows the origin a browser sends', () => {
    const stored = { ...demo(), allowedOrigins: ['HTTPS://Shop.Example.com:443', 'http://localhost:80'] };
    expect(isOriginAllowed(stored, 'https://shop.example.com')).toBe(true);
    expect(isOriginAllowed(stored, 'http://localhost')).toBe(true);
    expect(isOriginAllowed(stored, 'http://shop.example.com')).toBe(false);
    expect(isOriginAllowed(stored, 'https://shop.example.com:8443')).toBe(false);
  });

  it('are stored as a browser sends them, each once', () => {
    const parsed = surveySchema.parse(demoSurvey(['HTTPS://Shop.Example.com:443', 'https://shop.example.com', 'http://127.0.0.1:3000', 'https://a.example:080', '*']));
    expect(parsed.allowedOrigins).toEqual(['https://shop.example.com', 'http://127.0.0.1:3000', 'https://a.example:80', '*']);
  });

  it.each([
    ['https://shop.example.com:99999', 'port 99999 is out of range: 1 to 65535'],
    ['https://shop.example.com:0', 'port 0 is out of range: 1 to 65535'],
    ['https://shop.example.com.', 'a host without a trailing dot, as browsers send it: e.g. https://shop.example.com'],
    ['https://shop.example.com/', 'scheme, host and port only, without a path, query or fragment: e.g. https://shop.example.com'],
    ['https://shop.example.com?x=1', 'scheme, host and port only, without a path, query or fragment: e.g. https://shop.example.com'],
    ['https://shop.example.com#top', 'scheme, host and port only, without a path, query or fragment: e.g. https://shop.example.com'],
    ['ftp://shop.example.com', 'an http or https origin such as https://shop.example.com'],
    ['shop.example.com', 'an http or https origin such as https://shop.example.com'],
    ['https://ana@shop.example.com', 'no user name or password: e.g. https://shop.example.com'],
    ['https://shop..example.com', 'a host name such as shop.example.com, without empty labels'],
    ['http://999.1.1.1', 'a host a browser can reach: e.g. https://shop.example.com'],
    ['https://shop_example.com', expect.stringContaining('a host of letters, digits')],
  ])('are refused, naming the index and the reason, when no browser sends them (%s)', (origin, reason) => {
    const result = surveySchema.safeParse(demoSurvey(['https://ok.example', origin]));
    expect(result.success).toBe(false);
    expect(detailsFromZod(result.error!)).toEqual([{ path: 'allowedOrigins.1', reason }]);
  });
});

describe('locale to language', () => {
  it('maps browser locales to the language codes Comprehend speaks', () => {
    expect(['en-GB', 'zh-CN', 'zh-TW', 'zh-Hant-HK', 'pt-BR', 'de'].map(languageOfLocale)).toEqual(['en', 'zh', 'zh-TW', 'zh-TW', 'pt', 'de']);
  });
});

describe('the survey cache', () => {
  it('serves a survey from memory until its time is up, and forgets it on put', async () => {
    // Prepare
    let reads = 0;
    let clock = 0;
    const inner: SurveyStore = { get: async () => (reads++, demo()), put: async () => undefined };
    const cache = cachedSurveyStore(inner, 1000, () => clock);

    // Act
    await cache.get('demo');
    await cache.get('demo');
    clock = 1500;
    await cache.get('demo');
    await cache.put(demo());
    await cache.get('demo');

    // Assess
    expect(reads).toBe(3);
  });

  it('lets requests that miss while a read is under way share it, and never caches a read that a put overtook', async () => {
    // Prepare: reads that finish only when told to
    const pending: ((survey: ReturnType<typeof demo>) => void)[] = [];
    const inner: SurveyStore = { get: () => new Promise((resolve) => pending.push(resolve)), put: async () => undefined };
    let clock = 0;
    const cache = cachedSurveyStore(inner, 1000, () => clock);

    // Act: 20 requests miss together; later a read is under way when a put lands, and returns the old survey after it
    const together = Promise.all(Array.from({ length: 20 }, () => cache.get('demo')));
    pending[0]?.({ ...demo(), title: 'first' });
    const first = await together;
    clock = 1500;
    const overtaken = cache.get('demo');
    await cache.put({ ...demo(), title: 'changed' });
    pending[1]?.({ ...demo(), title: 'first' });
    await overtaken;
    const next = cache.get('demo');
    pending[2]?.({ ...demo(), title: 'changed' });

    // Assess: one read served all 20; the overtaken read was not cached, so the next request read again
    expect(first.map((survey) => survey?.title)).toEqual(Array(20).fill('first'));
    expect(pending).toHaveLength(3);
    expect((await next)?.title).toBe('changed');
  });

  it('with no time to keep surveys, reads for every request, even for requests that arrive together', async () => {
    let reads = 0;
    const inner: SurveyStore = { get: async () => (reads++, demo()), put: async () => undefined };
    const cache = cachedSurveyStore(inner, 0);
    await Promise.all([cache.get('demo'), cache.get('demo'), cache.get('demo')]);
    expect(reads).toBe(3);
  });
});
