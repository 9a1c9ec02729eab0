// integration: ingest → queue (fauxqs) → process → store (dynalite) → read back, through the local gateway.
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;
const sqs = new SQSClient({});

beforeAll(async () => {
  env = await startTestRuntime();
});
afterAll(async () => {
  sqs.destroy();
  await env?.close();
});

const stored = async (id: string) => (await listAll(env.runtime, 'demo')).find((item) => item.id === id);
const queueDepth = async (queueUrl: string) => {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
};

describe('a submitted response', () => {
  it('is acknowledged with 202 and an id, then stored with its scores, sentiment, segments and timestamps', async () => {
    // Prepare
    const submission = {
      surveyId: 'demo',
      channel: 'web',
      journeyStage: 'after-sale',
      locale: 'en-GB',
      customerRef: 'cust-42',
      answers: { nps: 2, csat: 1, ces: 2, product: 2, service: 1, price: 3 },
      comment: 'The parcel arrived late and the box was broken. Terrible service.',
      metadata: { plan: 'pro' },
    };

    // Act
    const reply = await request(env.runtime, 'POST', '/v1/responses', { body: submission });
    const item = await eventually(() => stored(reply.body.id), 10_000, 'the stored response');

    // Assess
    expect(reply.status).toBe(202);
    expect(reply.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(item).toMatchObject({
      id: reply.body.id,
      surveyId: 'demo',
      answers: submission.answers,
      comment: submission.comment,
      channel: 'web',
      touchpoint: 'checkout', // the survey's default touchpoint
      journeyStage: 'after-sale',
      locale: 'en-GB',
      customerRef: 'cust-42',
      metadata: { plan: 'pro' },
    });
    expect(item.sentiment).toMatchObject({ status: 'scored', label: 'NEGATIVE', language: 'en' });
    const scores = item.sentiment.scores;
    expect(scores.positive + scores.negative + scores.neutral + scores.mixed).toBeCloseTo(1, 2);
    expect(Date.parse(item.storedAt)).toBeGreaterThanOrEqual(Date.parse(item.receivedAt));
    expect(item.expiresAt).toBe(Math.floor(Date.parse(item.receivedAt) / 1000) + 365 * 86_400);
  });

  it('in a language without a local lexicon is stored unscored with its language, never guessed', async () => {
    // Prepare
    const submission = { surveyId: 'demo', channel: 'web', answers: { nps: 9 }, comment: '送货很快，包装也很好，非常满意这次购物体验。' };

    // Act
    const reply = await request(env.runtime, 'POST', '/v1/responses', { body: submission });
    const item = await eventually(() => stored(reply.body.id), 10_000, 'the stored response');

    // Assess
    expect(item.sentiment).toMatchObject({ status: 'unscored', language: 'zh' });
    expect(item.sentiment.label).toBeUndefined();
  });

  it('is read in the language its comment is written in when that is another script than its locale\'s, not scored as the locale\'s', async () => {
    // Prepare: a survey shown in English, answered in Russian and in Chinese; and one shown in Chinese, answered in English
    const submissions = [
      { locale: 'en-GB', comment: 'Доставка была очень медленной, никто не ответил.' },
      { locale: 'en-GB', comment: '送货太慢了，客服也不回复我的邮件。' },
      { locale: 'zh-CN', comment: 'The parcel arrived late and the box was broken. Terrible service.' },
    ];

    // Act
    const replies = await Promise.all(submissions.map(({ locale, comment }) => request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 3 }, locale, comment } })));
    const items = await Promise.all(replies.map((reply) => eventually(() => stored(reply.body.id), 10_000, 'the stored response')));

    // Assess: the locale is kept as given; the sentiment names the language the comment was read in
    expect(items.map((item) => item.locale)).toEqual(['en-GB', 'en-GB', 'zh-CN']);
    expect(items[0].sentiment).toMatchObject({ status: 'unscored', language: 'ru' });
    expect(items[1].sentiment).toMatchObject({ status: 'unscored', language: 'zh' });
    expect(items[2].sentiment).toMatchObject({ status: 'scored', label: 'NEGATIVE', language: 'en' });
  });

  it('with a locale that names no language (und, xx, qaa) has its comment read in the language it is written in: redacted, scored and followed up as with locale en', async () => {
    // Prepare: a promoter's score with a rude comment, which the negative-comment rule makes a detractor
    const comment = 'Terrible service, awful and rude staff. Write to me at ana.lopez@example.com';
    const locales = ['en', 'und', 'xx', 'qaa'];

    // Act
    const replies = await Promise.all(locales.map((locale) => request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 9 }, locale, comment } })));
    const items = await Promise.all(replies.map((reply) => eventually(() => stored(reply.body.id), 10_000, 'the stored response')));

    // Assess: the locale is kept as given; every one is scored as English, redacted and marked for follow-up
    expect(replies.map((reply) => reply.status)).toEqual([202, 202, 202, 202]);
    expect(items.map((item) => item.locale)).toEqual(locales);
    for (const item of items) {
      expect(item.sentiment).toMatchObject({ status: 'scored', label: 'NEGATIVE', language: 'en' });
      expect(item).toMatchObject({ comment: 'Terrible service, awful and rude staff. Write to me at [EMAIL]', redaction: { status: 'redacted', found: { EMAIL: 1 } } });
      expect(item.followUp?.reasons).toContainEqual(expect.objectContaining({ rule: 'negative-comment' }));
    }
  });

  it('without a comment is stored with no sentiment', async () => {
    const reply = await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'api', answers: { nps: 10 } } });
    const item = await eventually(() => stored(reply.body.id), 10_000, 'the stored response');
    expect(item.sentiment).toBeNull();
    expect(item.answers).toEqual({ nps: 10 });
  });

  it('sent twice with the same idempotency key is stored once, under one id', async () => {
    // Prepare
    const submission = { surveyId: 'demo', idempotencyKey: 'order-1001-nps', channel: 'web', answers: { nps: 8 } };

    // Act
    const first = await request(env.runtime, 'POST', '/v1/responses', { body: submission });
    const second = await request(env.runtime, 'POST', '/v1/responses', { body: submission });
    await eventually(() => stored(first.body.id), 10_000, 'the stored response');
    await eventually(async () => ((await env.runtime.backlog()) === 0 ? true : undefined), 10_000, 'an empty queue');

    // Assess
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    expect((await listAll(env.runtime, 'demo')).filter((item) => item.id === first.body.id)).toHaveLength(1);
  });

  it('redelivered by the queue is stored once', async () => {
    // Prepare: the same queued message delivered three times, as at-least-once delivery may
    const message = {
      id: 'redelivered-0001',
      surveyId: 'demo',
      receivedAt: new Date().toISOString(),
      expiresAt: Math.floor(Date.now() / 1000) + 86_400,
      channel: 'api',
      answers: { nps: 6 },
    };

    // Act
    for (let i = 0; i < 3; i += 1) {
      await sqs.send(new SendMessageCommand({ QueueUrl: env.runtime.queueUrls.responses, MessageBody: JSON.stringify(message) }));
    }
    await eventually(() => stored(message.id), 10_000, 'the stored response');
    await eventually(async () => ((await env.runtime.backlog()) === 0 ? true : undefined), 10_000, 'an empty queue');

    // Assess
    expect((await listAll(env.runtime, 'demo')).filter((item) => item.id === message.id)).toHaveLength(1);
  });

  it('that is poison reaches the dead-letter queue after 5 receives and blocks nothing', async () => {
    // Prepare
    const before = await queueDepth(env.runtime.deadLetterQueueUrls.responses);

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: env.runtime.queueUrls.responses, MessageBody: '{"not":"a response"}' }));
    const healthy = await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 7 } } });

    // Assess
    await eventually(() => stored(healthy.body.id), 10_000, 'the healthy response');
    await eventually(async () => ((await queueDepth(env.runtime.deadLetterQueueUrls.responses)) === before + 1 ? true : undefined), 20_000, 'the DLQ');
    expect(await queueDepth(env.runtime.queueUrls.responses)).toBe(0);
  });
});

describe('a refused submission', () => {
  const valid = { surveyId: 'demo', channel: 'web', answers: { nps: 9 } };

  async function refusedWithoutEnqueueing(init: Parameters<typeof request>[3]) {
    const before = (await listAll(env.runtime, 'demo')).length;
    const reply = await request(env.runtime, 'POST', '/v1/responses', init);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await env.runtime.backlog()).toBe(0);
    expect((await listAll(env.runtime, 'demo')).length).toBe(before);
    return reply;
  }

  it('with malformed JSON is answered 400 and enqueues nothing', async () => {
    const reply = await refusedWithoutEnqueueing({ raw: '{"surveyId": "demo", ' });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: 'invalid request', details: [{ path: '', reason: expect.stringContaining('malformed JSON') }] });
  });

  it('with a byte order mark before its JSON is accepted and stored, as UTF-8 decoders read it', async () => {
    const submission = { surveyId: 'demo', idempotencyKey: 'order-1002-bom', channel: 'web', answers: { nps: 7 } };
    const reply = await request(env.runtime, 'POST', '/v1/responses', { raw: `\uFEFF${JSON.stringify(submission)}` });
    expect(reply.status).toBe(202);
    await eventually(() => stored(reply.body.id), 10_000, 'the stored response');
  });

  it('with wrong types, out-of-range scores, unknown questions and unknown fields names every offending path', async () => {
    const reply = await refusedWithoutEnqueueing({
      body: { surveyId: 'demo', channel: 'fax', answers: { nps: 11, csat: 'five', ces: 2.5, colour: 3 }, comment: 42, extra: true },
    });
    expect(reply.status).toBe(400);
    const paths = reply.body.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['answers.ces', 'answers.colour', 'answers.csat', 'answers.nps', 'channel', 'comment', 'extra']);
    expect(reply.body.details.find((d: { path: string }) => d.path === 'answers.nps').reason).toBe('at most 10');
  });

  it('with a comment over 5,000 characters or more than 20 metadata pairs is answered 400', async () => {
    const long = await refusedWithoutEnqueueing({ body: { ...valid, comment: 'a'.repeat(5_001) } });
    const metadata = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    const many = await refusedWithoutEnqueueing({ body: { ...valid, metadata } });
    expect(long.status).toBe(400);
    expect(long.body.details[0].path).toBe('comment');
    expect(many.status).toBe(400);
    expect(many.body.details[0].path).toBe('metadata');
  });

  it('with a body over 16 KB is answered 413', async () => {
    const reply = await refusedWithoutEnqueueing({ raw: JSON.stringify({ ...valid, metadata: { pad: 'x'.repeat(17_000) } }) });
    expect(reply.status).toBe(413);
    expect(reply.body.error).toBe('request body too large');
  });

  it('for an unknown survey is answered 404', async () => {
    const reply = await refusedWithoutEnqueueing({ body: { ...valid, surveyId: 'no-such-survey' } });
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: 'survey not found', details: [] });
  });

  it('from an origin the survey does not allow is answered 403, readable by that page so its widget stops retrying', async () => {
    const reply = await refusedWithoutEnqueueing({ body: valid, headers: { origin: 'https://evil.example' } });
    expect(reply.status).toBe(403);
    expect(reply.body.details).toEqual([{ path: 'origin', reason: "not in the survey's allowed origins" }]);
    expect(reply.headers.get('access-control-allow-origin')).toBe('https://evil.example');
  });

  it('from an allowed origin is accepted with CORS permission for that origin', async () => {
    const origin = new URL(env.runtime.url).origin;
    const preflight = await fetch(`${env.runtime.url}/v1/responses`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const reply = await request(env.runtime, 'POST', '/v1/responses', { body: valid, headers: { origin } });
    expect(preflight.status).toBe(204);
    expect(reply.status).toBe(202);
    expect(reply.headers.get('access-control-allow-origin')).toBe(origin);
  });
});

describe('the admin API', () => {
  it('refuses a missing or wrong admin token with 401', async () => {
    const missing = await request(env.runtime, 'GET', '/v1/surveys/demo');
    const wrong = await request(env.runtime, 'GET', '/v1/surveys/demo', { headers: { authorization: 'Bearer nope' } });
    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.body.details[0].path).toBe('authorization');
  });

  it('creates a survey, reads it back, and answers 400 for an invalid definition without storing it', async () => {
    // Prepare
    const definition = {
      title: 'Delivery',
      channels: ['email'],
      questions: [{ id: 'csat', type: 'csat', required: true }],
      texts: { en: { title: 'Delivery', questions: { csat: { label: 'How was the delivery?' } } } },
    };

    // Act
    const bad = await request(env.runtime, 'PUT', '/v1/surveys/delivery', { admin: true, body: { ...definition, channels: ['pigeon'], questions: [] } });
    const missingAfterBad = await request(env.runtime, 'GET', '/v1/surveys/delivery', { admin: true });
    const put = await request(env.runtime, 'PUT', '/v1/surveys/delivery', { admin: true, body: definition });
    const got = await request(env.runtime, 'GET', '/v1/surveys/delivery', { admin: true });

    // Assess
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['channels.0', 'questions']));
    expect(missingAfterBad.status).toBe(404);
    expect(put.status).toBe(200);
    expect(got.body).toMatchObject({ id: 'delivery', retentionDays: 365, detractorRules: { npsAtMost: 6 } });
  });

  it('pages through responses newest first with a cursor that is null on the last page', async () => {
    // Prepare
    const definition = {
      title: 'Paging',
      channels: ['api'],
      questions: [{ id: 'nps', type: 'nps' }],
      texts: { en: { title: 'Paging', questions: {} } },
    };
    await request(env.runtime, 'PUT', '/v1/surveys/paging', { admin: true, body: definition });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push((await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'paging', channel: 'api', answers: { nps: i } } })).body.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await eventually(async () => ((await listAll(env.runtime, 'paging')).length === 5 ? true : undefined), 10_000, 'five stored');

    // Act
    const first = await request(env.runtime, 'GET', '/v1/surveys/paging/responses?limit=2', { admin: true });
    const second = await request(env.runtime, 'GET', `/v1/surveys/paging/responses?limit=2&cursor=${first.body.cursor}`, { admin: true });
    const third = await request(env.runtime, 'GET', `/v1/surveys/paging/responses?limit=2&cursor=${second.body.cursor}`, { admin: true });

    // Assess
    const pagedIds = [...first.body.items, ...second.body.items, ...third.body.items].map((item: { id: string }) => item.id);
    expect(pagedIds).toEqual([...ids].reverse());
    expect(first.body.cursor).toEqual(expect.any(String));
    expect(third.body.cursor).toBeNull();
  });

  it('filters by time range and refuses invalid query parameters naming them', async () => {
    const future = await request(env.runtime, 'GET', '/v1/surveys/demo/responses?from=2999-01-01T00:00:00Z', { admin: true });
    const badLimit = await request(env.runtime, 'GET', '/v1/surveys/demo/responses?limit=0', { admin: true });
    const badRange = await request(env.runtime, 'GET', '/v1/surveys/demo/responses?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', { admin: true });
    const badCursor = await request(env.runtime, 'GET', '/v1/surveys/demo/responses?cursor=abc', { admin: true });
    const unknownSurvey = await request(env.runtime, 'GET', '/v1/surveys/nope/responses', { admin: true });
    expect(future.body).toEqual({ items: [], cursor: null });
    expect([badLimit.status, badLimit.body.details[0].path]).toEqual([400, 'limit']);
    expect([badRange.status, badRange.body.details[0].path]).toEqual([400, 'from']);
    expect([badCursor.status, badCursor.body.details[0].path]).toEqual([400, 'cursor']);
    expect(unknownSurvey.status).toBe(404);
  });
});
