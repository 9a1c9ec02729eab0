// integration, on the local runtime: a value the API accepts is stored exactly as sent. Keys that JavaScript or the
// DynamoDB marshaller treat specially (constructor, toString, then, M, S, NULL, …) are stored like any other; what
// the database cannot hold (a __proto__ key, a lone surrogate, a number out of DynamoDB's range) is refused with a
// 400 naming the field, and nothing is stored. A property test sends generated submissions through the pipeline.
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentText } from '../../shared/submission/comment-text.js';
import { eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

/** question ids that are also names on Object.prototype or promise-like: valid slugs */
const SPECIAL_QUESTION_IDS = ['constructor', 'then'];
const SPECIAL_KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'then', 'prototype', 'M', 'S', 'N', 'L', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', '$unknown', '#k', ':v', '.', 'a.b'];

function surveyBody(id: string) {
  return {
    id,
    title: 'Storable values',
    channels: ['api', 'web', 'email'],
    privacy: { comments: 'keep' },
    questions: [
      { id: 'constructor', type: 'nps' },
      { id: 'then', type: 'csat' },
    ],
    texts: { en: { title: 'How did we do?', questions: { constructor: { label: 'Recommend us?' }, then: { label: 'Satisfied?' } } } },
  };
}

const post = (raw: string) => request(env.runtime, 'POST', '/v1/responses', { raw });
const storedOf = async (surveyId: string, count: number) =>
  eventually(async () => {
    const items = await listAll(env.runtime, surveyId);
    return items.length >= count ? items : undefined;
  }, 30_000, `${count} stored responses of ${surveyId}`);

beforeAll(async () => {
  env = await startTestRuntime({ scheduleEveryMs: 3_600_000 });
  for (const id of ['storable', 'refusals', 'generated', 'decimals']) {
    const put = await request(env.runtime, 'PUT', `/v1/surveys/${id}`, { admin: true, body: surveyBody(id) });
    if (put.status !== 200) throw new Error(`survey ${id}: ${put.status} ${JSON.stringify(put.body)}`);
  }
});
afterAll(async () => {
  await env?.close();
});

describe('values the API accepts', () => {
  it('stores a response whose metadata keys are JavaScript and DynamoDB special names, exactly as sent', async () => {
    // Prepare
    const metadata = Object.fromEntries(SPECIAL_KEYS.slice(0, 20).map((key) => [key, `value of ${key}`]));

    // Act
    const accepted = await post(JSON.stringify({ surveyId: 'storable', channel: 'api', answers: { constructor: 9, then: 4 }, metadata }));
    const [stored] = await storedOf('storable', 1);

    // Assess
    expect(accepted.status).toBe(202);
    expect(stored).toMatchObject({ id: accepted.body.id, answers: { constructor: 9, then: 4 } });
    expect(stored.metadata).toEqual(metadata);
  });

  it('takes a score written as a decimal or with an exponent when it is the whole number it says, as a serializer may write it', async () => {
    // Act
    const accepted = await post('{"surveyId":"decimals","channel":"api","answers":{"constructor":7.0,"then":40e-1}}');
    const [stored] = await storedOf('decimals', 1);

    // Assess
    expect(accepted.status).toBe(202);
    expect(stored.answers).toEqual({ constructor: 7, then: 4 });
  });

  it('keeps a survey whose question ids are constructor and then, and takes an answer that skips one of them', async () => {
    // Act
    const read = await request(env.runtime, 'GET', '/v1/surveys/storable', { admin: true });
    const onlyThen = await post(JSON.stringify({ surveyId: 'storable', channel: 'api', answers: { then: 2 } }));
    const items = await storedOf('storable', 2);

    // Assess: `constructor` unanswered is not Object.prototype.constructor, neither at validation nor as a detractor score
    expect(read.status).toBe(200);
    expect(read.body.questions.map((q: { id: string }) => q.id)).toEqual(SPECIAL_QUESTION_IDS);
    expect(read.body.texts.en.questions.constructor).toEqual({ label: 'Recommend us?' });
    expect(onlyThen.status).toBe(202);
    const stored = items.find((r) => r.id === onlyThen.body.id);
    expect(stored.answers).toEqual({ then: 2 });
    expect(stored.followUp?.reasons ?? []).toEqual([{ rule: 'csat', question: 'then', score: 2, atMost: 2 }]);
  });

  it('mints invitations whose fields have special keys, and the answered link stores them as the metadata', async () => {
    // Prepare
    const fields = { constructor: 'y', toString: 'z', M: 'm', NULL: 'n' };

    // Act
    const minted = await request(env.runtime, 'POST', '/v1/surveys/storable/invitations', { admin: true, body: { campaign: 'special', recipients: [{ customerRef: 'cust-special', fields }] } });
    const path = new URL(minted.body.invitations[0].link).pathname;
    const opened = await fetch(`${env.runtime.url}${path}?score=8`);
    const stamp = /name="v" value="([^"]+)"/.exec(await opened.text())?.[1] ?? '';
    const answered = await fetch(`${env.runtime.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ v: stamp, 'a.constructor': '8', 'a.then': '5' }).toString(),
    });
    const stored = await eventually(async () => (await listAll(env.runtime, 'storable')).find((r) => r.campaign === 'special'), 30_000, 'the invitation answer');

    // Assess
    expect(minted.status).toBe(201);
    expect(answered.status).toBe(200);
    expect(stored).toMatchObject({ channel: 'email', customerRef: 'cust-special', answers: { constructor: 8, then: 5 } });
    expect(stored.metadata).toEqual(fields);
  });
});

describe('values the database cannot hold', () => {
  const submission = (extra: string) => `{"surveyId":"refusals","channel":"api","answers":{"constructor":7}${extra}}`;

  it.each([
    ['a __proto__ metadata key', submission(',"metadata":{"__proto__":"x"}'), 'metadata.__proto__', /__proto__/],
    ['a lone surrogate in the comment', submission(',"comment":"broken \\ud800 text"'), 'comment', /lone surrogate/],
    ['a lone surrogate in a metadata key', submission(',"metadata":{"\\udc00":"x"}'), 'metadata.\udc00', /lone surrogate/],
    ['an answer too large to store exactly', '{"surveyId":"refusals","channel":"api","answers":{"constructor":1e400}}', 'answers.constructor', /too large/],
    ['an answer too small to store', '{"surveyId":"refusals","channel":"api","answers":{"constructor":1e-200}}', 'answers.constructor', /too small/],
    ['an answer that JSON.parse reads as 0', '{"surveyId":"refusals","channel":"api","answers":{"constructor":1e-400}}', 'answers.constructor', /too small/],
    ['an answer with more digits than a number holds', '{"surveyId":"refusals","channel":"api","answers":{"constructor":7.0000000000000001}}', 'answers.constructor', /stored as 7$/],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_what, raw, path, reason) => {
    // Act
    const refused = await post(raw);

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ path, reason: expect.stringMatching(reason) }]);
  });

  it('refuses a survey whose weight DynamoDB cannot hold, naming the field', async () => {
    // Prepare
    const body = { ...surveyBody('weights'), questions: [{ id: 'speed', type: 'rating', dimension: 'speed', max: 5, weight: 1e-200 }], texts: { en: { title: 't', questions: {} } } };

    // Act
    const refused = await request(env.runtime, 'PUT', '/v1/surveys/weights', { admin: true, body });
    const read = await request(env.runtime, 'GET', '/v1/surveys/weights', { admin: true });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ path: 'questions.0.weight', reason: expect.stringMatching(/too small/) }]);
    expect(read.status).toBe(404);
  });

  it('refuses invitation fields with a __proto__ key, naming the field, and mints nothing', async () => {
    // Act
    const refused = await request(env.runtime, 'POST', '/v1/surveys/refusals/invitations', {
      admin: true,
      raw: '{"campaign":"proto","recipients":[{"customerRef":"c1","fields":{"__proto__":"x"}}]}',
    });
    const campaign = await request(env.runtime, 'GET', '/v1/surveys/refusals/campaigns/proto', { admin: true });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ path: 'recipients.0.fields.__proto__', reason: expect.stringMatching(/__proto__/) }]);
    expect(campaign.body.invitations ?? 0).toBe(0);
  });

  it('left nothing of the refused submissions stored', async () => {
    expect(await listAll(env.runtime, 'refusals')).toEqual([]);
  });
});

// ---- the property: every 202 is stored exactly once, as sent; every other answer is a 4xx with details ----

const SUBMISSIONS = 200;
const seed = Number(process.env.STORABLE_SEED ?? Date.now() % 1_000_000);

// weighted so that about half the submissions are valid: each part has a few ways to be wrong
const key = fc.oneof(
  { arbitrary: fc.constantFrom(...SPECIAL_KEYS), weight: 6 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 70 }), weight: 1 },
  { arbitrary: fc.constantFrom('__proto__', ''), weight: 1 },
);
const text = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 8 },
  { arbitrary: fc.constantFrom('', ' ', '\u0000', '\uffff', 'constructor', '😀', 'e\u0301'), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
);
/** number literals as JSON text, so that -0, 1e400 and more digits than a double holds arrive as written */
const numberLiteral = (min: number, max: number) =>
  fc.oneof(
    { arbitrary: fc.integer({ min, max }).map(String), weight: 12 },
    { arbitrary: fc.constantFrom('-0', '0.0', '1e0', '5.0000000000000000000001', '4.999999999999999999999', '2.00000000000000000001e0'), weight: 3 },
    { arbitrary: fc.constantFrom('1e400', '-1e400', '1e-400', '5e-324', '1e-200', '9007199254740991', '9007199254740993', '-9007199254740992', '7.5', '-1', '11'), weight: 1 },
    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), weight: 1 },
  );
const submissionText = fc
  .record({
    channel: fc.constantFrom('api', 'web', 'api', 'web', 'fax'),
    answers: fc.record({ constructor: numberLiteral(0, 10), then: numberLiteral(1, 5) }, { requiredKeys: [] }),
    metadata: fc.option(fc.uniqueArray(fc.tuple(key, text), { selector: ([k]) => k, maxLength: 6 }), { nil: undefined }),
    comment: fc.option(text, { nil: undefined }),
  })
  .map(({ channel, answers, metadata, comment }) => {
    const parts = [`"surveyId":"generated"`, `"channel":${JSON.stringify(channel)}`];
    parts.push(`"answers":{${Object.entries(answers).map(([k, n]) => `${JSON.stringify(k)}:${n}`).join(',')}}`);
    if (metadata) parts.push(`"metadata":{${metadata.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
    if (comment !== undefined) parts.push(`"comment":${JSON.stringify(comment)}`);
    return `{${parts.join(',')}}`;
  });

/** what a JSON reader gets from the text: the stored response must read back as this (-0 reads as 0, as in JSON) */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('generated submissions', () => {
  it('are each either stored exactly once, as sent, after a 202, or refused with a 4xx giving details and never stored', async () => {
    // Prepare / Act: each generated submission is sent once
    const accepted = new Map<string, string>();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(submissionText, async (raw) => {
        const answer = await post(raw);
        if (answer.status === 202) {
          accepted.set(answer.body.id, raw);
          return;
        }
        refused += 1;
        expect(answer.status, raw).toBeGreaterThanOrEqual(400);
        expect(answer.status, raw).toBeLessThan(500);
        expect(answer.body.details.length, raw).toBeGreaterThan(0);
        for (const detail of answer.body.details) expect(detail, raw).toEqual({ path: expect.any(String), reason: expect.any(String) });
      }),
      { numRuns: SUBMISSIONS, seed, endOnFailure: true },
    );
    console.log(`storable values: ${SUBMISSIONS} generated submissions (seed ${seed}): ${accepted.size} answered 202, ${refused} refused with a 4xx`);

    // Assess: every acknowledged one is stored, once, with its answers, metadata and comment as sent
    const stored = accepted.size === 0 ? [] : await storedOf('generated', accepted.size);
    expect(stored.map((r) => r.id).sort()).toEqual([...accepted.keys()].sort());
    for (const response of stored) {
      const sent = JSON.parse(accepted.get(response.id)!) as { answers: object; metadata?: object; comment?: string };
      // the comment as the API documents it: trimmed, and none when nothing in it is visible
      expect({ answers: response.answers, metadata: response.metadata, comment: response.comment }, accepted.get(response.id)).toEqual(
        asJson({ answers: sent.answers, metadata: sent.metadata, comment: commentText(sent.comment) }),
      );
    }
    // the run exercised both sides (a generator drifting to all-valid or all-invalid would prove little)
    expect(accepted.size).toBeGreaterThan(SUBMISSIONS / 10);
    expect(refused).toBeGreaterThan(SUBMISSIONS / 10);
  }, 120_000);
});
