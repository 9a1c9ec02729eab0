// integration, on the local runtime: what PUT /v1/surveys/{id} refuses beyond the definition's schema (shared/survey/
// definition-refusals.ts): blank titles, labels and keywords, two locales that differ only in case, a root cause the
// console could not show as written, and a touchpoint assigned to a lead the survey does not have. A refused
// definition changes nothing; a lead granted a survey before it was created may be assigned once it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

const put = (id: string, body: unknown) => request(env.runtime, 'PUT', `/v1/surveys/${id}`, { admin: true, body });
const get = (id: string) => request(env.runtime, 'GET', `/v1/surveys/${id}`, { admin: true });
const lead = async (name: string, surveys: string[]) => (await request(env.runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name, surveys } })).body as { id: string };
const demo = (id: string) => ({ ...demoSurvey([]), id });
const touchpoints = (map: Record<string, string>) => ({ firstContactHours: 24, assignment: { mode: 'touchpoint', touchpoints: map } });

describe('a survey definition put', () => {
  it('with a blank title, locale title, label or keyword, or locales differing only in case, is refused naming each, and nothing is stored', async () => {
    // Prepare
    const base = demo('blanks');
    const en = base.texts.en!;
    const body = {
      ...base,
      title: '   ',
      texts: { ...base.texts, en: { ...en, title: ' \t', questions: { ...en.questions, nps: { label: '  ' } } }, EN: en },
      detractorRules: { keywords: ['refund', ' '] },
    };

    // Act
    const refused = await put('blanks', body);
    const stored = await get('blanks');

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual(
      expect.arrayContaining([
        { path: 'title', reason: 'must not be blank' },
        { path: 'texts.en.title', reason: 'must not be blank' },
        { path: 'texts.en.questions.nps.label', reason: 'must not be blank' },
        { path: 'texts.EN', reason: 'the same locale as "en" (locale tags ignore case)' },
        { path: 'detractorRules.keywords.1', reason: 'must not be blank' },
      ]),
    );
    expect(refused.body.details).toHaveLength(5);
    expect(stored.status).toBe(404);
  });

  it('with a title, label or keyword of only invisible characters (zero-width, bidi marks) is refused as blank, as such a comment is no comment', async () => {
    // Prepare
    const base = demo('invisible');
    const en = base.texts.en!;
    const body = { ...base, title: '\u200b\u2060', texts: { ...base.texts, en: { ...en, questions: { ...en.questions, nps: { label: '\u200f \u200b' } } } }, detractorRules: { keywords: ['\ufeff'] } };

    // Act
    const refused = await put('invisible', body);

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      { path: 'title', reason: 'must not be blank' },
      { path: 'texts.en.questions.nps.label', reason: 'must not be blank' },
      { path: 'detractorRules.keywords.0', reason: 'must not be blank' },
    ]);
    expect((await get('invisible')).status).toBe(404);
  });

  it('with a root cause holding a bidi control is refused naming it', async () => {
    const refused = await put('causes', { ...demo('causes'), followUp: { rootCauses: ['billing', 'late \u202ereirruoc'] } });

    expect(refused).toMatchObject({ status: 400, body: { details: [{ path: 'followUp.rootCauses.1', reason: expect.stringContaining('bidi controls') }] } });
    expect((await get('causes')).status).toBe(404);
  });

  it('assigning a touchpoint to an unknown, revoked or ungranted lead is refused naming the touchpoint, and the stored survey stays', async () => {
    // Prepare
    expect((await put('assigned', demo('assigned'))).status).toBe(200);
    const granted = await lead('Gail', ['assigned']);
    const revoked = await lead('Rex', ['assigned']);
    await request(env.runtime, 'DELETE', `/v1/tokens/${revoked.id}`, { admin: true });
    const elsewhere = await lead('Olga', ['other-survey']);

    // Act
    const refused = await put('assigned', {
      ...demo('assigned'),
      followUp: touchpoints({ web: granted.id, app: 'cx:0123456789abcdef', kiosk: revoked.id, phone: elsewhere.id }),
    });
    const stored = await get('assigned');

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      { path: 'followUp.assignment.touchpoints.app', reason: 'no CX lead with id "cx:0123456789abcdef" (see GET /v1/cx-leads)' },
      { path: 'followUp.assignment.touchpoints.kiosk', reason: 'the CX lead "Rex" has a revoked token' },
      { path: 'followUp.assignment.touchpoints.phone', reason: 'the CX lead "Olga" is not granted survey "assigned"' },
    ]);
    expect(stored.body.followUp.assignment).toEqual({ mode: 'manual' });
  });

  it('may assign a touchpoint to a lead granted the survey before it was created', async () => {
    // Prepare: the lead comes first, as a team set up ahead of a survey's launch
    const early = await lead('Ezra', ['launch']);

    // Act
    const created = await put('launch', { ...demo('launch'), followUp: touchpoints({ web: early.id }) });

    // Assess
    expect(created.status).toBe(200);
    expect((await get('launch')).body.followUp.assignment).toEqual({ mode: 'touchpoint', touchpoints: { web: early.id } });
  });
});
