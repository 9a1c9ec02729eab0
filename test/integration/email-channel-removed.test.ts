// integration, on the local runtime: a survey whose admin removes `email` from its channels after links were minted.
// The links already sent keep working until they expire: a submitted answer and a provisional one finalised by time
// are both stored as `email` responses of their campaign; no new link is minted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { eventually, listAll, request, startEmailSurveyTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startEmailSurveyTestRuntime>>;
const SURVEY = { ...demoSurvey([]), id: 'no-longer-emailed' };

beforeAll(async () => {
  env = await startEmailSurveyTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

const page = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${env.runtime.url}${path}`, { redirect: 'manual', ...init });
  return { status: response.status, text: await response.text() };
};
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const stampOf = (html: string) => /name="v" value="([^"]+)"/.exec(html)?.[1] ?? '';
const mint = (campaign: string, recipients: object[]) =>
  request(env.runtime, 'POST', `/v1/surveys/${SURVEY.id}/invitations`, { admin: true, body: { campaign, recipients, includeSnippet: false } });

describe('a survey that stops listing the email channel after links were minted', () => {
  it('still stores the answers to the links already sent, submitted or provisional, as email responses, and mints no more', async () => {
    // Prepare: two links sent; one customer opens the page and touches a score (a provisional answer)
    expect((await request(env.runtime, 'PUT', `/v1/surveys/${SURVEY.id}`, { admin: true, body: SURVEY })).status).toBe(200);
    const minted = await mint('before-removal', [{ customerRef: 'cust-submit' }, { customerRef: 'cust-provisional' }]);
    const [submitPath, provisionalPath] = minted.body.invitations.map((i: { link: string }) => new URL(i.link).pathname);
    const opened = await page(`${submitPath}?score=8`);
    const touched = await page(`${provisionalPath}?score=2`);
    await page(`${provisionalPath}/signal`, form({ v: stampOf(touched.text), signal: 'interaction', 'a.nps': '2' }));

    // Act: the admin removes email; then one customer sends the form, and the other's answer stands until the finaliser
    const edited = await request(env.runtime, 'PUT', `/v1/surveys/${SURVEY.id}`, { admin: true, body: { ...SURVEY, channels: ['web'] } });
    const submitted = await page(submitPath!, form({ v: stampOf(opened.text), 'a.nps': '8', comment: 'Quick and friendly' }));
    await env.runtime.triggerSchedule('finalise-email-answers');
    const stored = await eventually(async () => {
      const items = (await listAll(env.runtime, SURVEY.id)).filter((r) => r.campaign === 'before-removal');
      return items.length === 2 ? items : undefined;
    }, 10_000, 'both answers stored');
    const mintedAfter = await mint('after-removal', [{ customerRef: 'cust-new' }]);

    // Assess
    expect(edited.status).toBe(200);
    expect(submitted.status).toBe(200);
    expect(submitted.text).toContain('Thank you, your feedback helps us improve.');
    expect(stored.find((r) => r.customerRef === 'cust-submit')).toMatchObject({ channel: 'email', answers: { nps: 8 }, comment: 'Quick and friendly' });
    expect(stored.find((r) => r.customerRef === 'cust-provisional')).toMatchObject({ channel: 'email', answers: { nps: 2 } });
    expect(mintedAfter.status).toBe(400);
    expect(mintedAfter.body.details).toEqual([{ path: 'surveyId', reason: 'the survey does not list the "email" channel' }]);
  });
});
