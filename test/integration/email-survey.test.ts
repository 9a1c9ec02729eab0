// integration, on the local runtime: email survey links end to end. Minting (API), what a link scanner does (every
// link fetched, no script) records no answer and marks the invitation scanned, a submitted answer travels the pipeline
// as one `email` response of its campaign however often it is sent, a human signal makes a provisional answer that the
// finaliser turns into a response, bad tokens, scores and forms are refused with a page and nothing recorded, and an
// invitation first answered longer ago than its survey's retention allows a change takes no more answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '../../shared/aws/dynamodb.js';
import { signLinkToken } from '../../shared/links/signed-token.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { testDocumentClient } from '../support/dynamo.js';
import { eventually, LINK_KEYS, listAll, request, startEmailSurveyTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startEmailSurveyTestRuntime>>;

beforeAll(async () => {
  env = await startEmailSurveyTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

const page = async (url: string, init: RequestInit = {}) => {
  const response = await fetch(url.startsWith('http') ? url : `${env.runtime.url}${url}`, { redirect: 'manual', ...init });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
};
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&#38;', '&'));
const pathOf = (link: string) => new URL(link).pathname;
const stampOf = (html: string) => /name="v" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function mint(campaign: string, recipients: object[], extra: object = {}) {
  return request(env.runtime, 'POST', '/v1/surveys/demo/invitations', { admin: true, body: { campaign, recipients, ...extra } });
}
const report = (campaign: string) => request(env.runtime, 'GET', `/v1/surveys/demo/campaigns/${campaign}`, { admin: true });
const campaignResponses = async (campaign: string) => (await listAll(env.runtime, 'demo')).filter((r) => r.campaign === campaign);

describe('minting invitations', () => {
  it('answers one personal link and an e-mail snippet per recipient, and the same link again for the same customer', async () => {
    // Act
    const first = await mint('mint-1', [
      { customerRef: 'cust-1', email: 'Ana@Example.com', name: 'Ana', locale: 'zh-CN', touchpoint: 'delivery', journeyStage: 'retention', fields: { plan: 'pro' } },
      { customerRef: 'cust-2' },
    ]);
    const again = await mint('mint-1', [{ customerRef: 'cust-1' }], { includeSnippet: false });

    // Assess
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ surveyId: 'demo', campaign: 'mint-1', minted: 2, existing: 0 });
    const [ana] = first.body.invitations;
    expect(ana.link).toMatch(new RegExp(`^${env.runtime.url}/s/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
    expect(again.body).toMatchObject({ minted: 0, existing: 1, invitations: [{ invitationId: ana.invitationId, link: ana.link, existing: true }] });
    expect(again.body.invitations[0].snippet).toBeUndefined();
    // the snippet: a table of 11 score links (0–10) in the recipient's locale, a hidden honeypot, no script
    const links = hrefs(ana.snippet);
    expect(links).toHaveLength(12);
    expect(links.slice(0, 11)).toEqual(Array.from({ length: 11 }, (_, i) => `${ana.link}?score=${i}`));
    expect(links[11]).toBe(`${ana.link}/h`);
    expect(ana.snippet).toContain('您向朋友推荐我们的可能性有多大？');
    expect(ana.snippet).toMatch(/^<table role="presentation"/);
    expect(ana.snippet).not.toMatch(/<script|<style|class=/i);
    // neither the address nor the name is stored: only a keyed hash of the address
    const stored = await report('mint-1');
    expect(stored.body).toMatchObject({ invitations: 2, opened: 0, final: 0 });
  });

  it('refuses a request with a bad recipient as a whole, naming each bad field, and mints nothing', async () => {
    // Act
    const reply = await mint('mint-bad', [{ customerRef: 'ok' }, { customerRef: '', email: 'not-an-email' }, { customerRef: 'x', locale: '??', colour: 'red' }]);
    const unknownSurvey = await request(env.runtime, 'POST', '/v1/surveys/nope/invitations', { admin: true, body: { campaign: 'c', recipients: [{ customerRef: 'a' }] } });
    const noToken = await request(env.runtime, 'POST', '/v1/surveys/demo/invitations', { body: { campaign: 'c', recipients: [{ customerRef: 'a' }] } });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['recipients.1.customerRef', 'recipients.1.email', 'recipients.2.colour', 'recipients.2.locale']);
    expect((await report('mint-bad')).status).toBe(404);
    expect(unknownSurvey.status).toBe(404);
    expect(noToken.status).toBe(401);
  });
});

describe('a link scanner', () => {
  it('fetching every link of the e-mail and of the page records no answer and marks the invitation scanned', async () => {
    // Prepare
    const minted = await mint('scan', [{ customerRef: 'cust-scan' }]);
    const { snippet, link } = minted.body.invitations[0];

    // Act: what a scanner does: GET every link in the e-mail, then every link in the pages it got, no script
    const fetched = await Promise.all(hrefs(snippet).map((href) => page(href)));
    const pageLinks = [...new Set(fetched.flatMap((f) => hrefs(f.text)))].filter((href) => href.startsWith('/'));
    const followed = await Promise.all(pageLinks.map((href) => page(href)));
    await env.runtime.triggerSchedule('finalise-email-answers');
    const scanned = await report('scan');

    // Assess
    expect(fetched.map((f) => f.status)).toEqual(Array(12).fill(200));
    expect(pageLinks).toContain(`${pathOf(link)}/h`);
    expect(followed.every((f) => f.status === 200)).toBe(true);
    expect(scanned.body).toMatchObject({ invitations: 1, opened: 1, clicks: 11, scanned: 1, provisional: 0, final: 0, responseRatePct: 0 });
    expect(scanned.body.scannerHits).toBeGreaterThanOrEqual(2);
    expect(await campaignResponses('scan')).toEqual([]);
  });
});

describe('answering', () => {
  it('stores one email response of the campaign, replaced when the person sends the form again', async () => {
    // Prepare
    const minted = await mint('answer', [{ customerRef: 'cust-9', touchpoint: 'delivery', locale: 'en-GB', fields: { plan: 'pro' } }]);
    const path = pathOf(minted.body.invitations[0].link);
    const opened = await page(`${path}?score=9`);

    // Act
    const first = await page(path, form({ v: stampOf(opened.text), 'a.nps': '9', 'a.csat': '4', comment: 'Fast delivery', website: '' }));
    const stored = await eventually(async () => (await campaignResponses('answer'))[0], 10_000, 'the first answer');
    const second = await page(path, form({ v: stampOf(opened.text), 'a.nps': '6', comment: 'On second thought, slow support' }));
    const replaced = await eventually(async () => {
      const items = await campaignResponses('answer');
      return items.length === 1 && items[0].answers.nps === 6 ? items : undefined;
    }, 10_000, 'the replaced answer');
    await env.runtime.triggerSchedule('roll-up-metrics');
    const campaign = await report('answer');

    // Assess
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('<input type="radio" name="a.nps" value="9" checked required>');
    expect(opened.text).toMatch(/<html lang="en">/);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.text).toContain('Thank you, your feedback helps us improve.');
    expect(stored).toMatchObject({ channel: 'email', campaign: 'answer', touchpoint: 'delivery', customerRef: 'cust-9', answers: { nps: 9, csat: 4 }, metadata: { plan: 'pro' } });
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).toMatchObject({ id: stored.id, receivedAt: stored.receivedAt, answers: { nps: 6 }, comment: 'On second thought, slow support' });
    expect(replaced[0].answers.csat).toBeUndefined();
    expect(campaign.body).toMatchObject({ invitations: 1, final: 1, finalBy: { submit: 1, timeout: 0 }, responseRatePct: 100 });
    expect(campaign.body.metrics).toMatchObject({ responses: 1, nps: { answers: 1, score: -100 } });
  });

  it('makes a provisional answer on a human signal only, final after the delay with no submit', async () => {
    // Prepare
    const minted = await mint('provisional', [{ customerRef: 'cust-p1' }, { customerRef: 'cust-p2' }]);
    const [one, two] = minted.body.invitations.map((i: { link: string }) => pathOf(i.link));
    const pageOne = await page(`${one}?score=3`);
    const pageTwo = await page(`${two}?score=10`);

    // Act: an early dwell signal, a forged stamp and a filled honeypot are ignored; an interaction counts
    const early = await page(`${one}/signal`, form({ v: stampOf(pageOne.text), signal: 'dwell', 'a.nps': '3' }));
    const forged = await page(`${two}/signal`, form({ v: stampOf(pageOne.text), signal: 'interaction', 'a.nps': '10' }));
    const bot = await page(`${two}/signal`, form({ v: stampOf(pageTwo.text), signal: 'interaction', 'a.nps': '10', website: 'http://spam' }));
    const before = await report('provisional');
    const human = await page(`${one}/signal`, form({ v: stampOf(pageOne.text), signal: 'interaction', 'a.nps': '3' }));
    const during = await report('provisional');
    await env.runtime.triggerSchedule('finalise-email-answers');
    const response = await eventually(async () => (await campaignResponses('provisional'))[0], 10_000, 'the finalised answer');
    const after = await report('provisional');

    // Assess
    expect([early.status, forged.status, bot.status, human.status]).toEqual([204, 204, 204, 204]);
    expect(before.body).toMatchObject({ provisional: 0, final: 0 });
    expect(during.body).toMatchObject({ provisional: 1, final: 0 });
    expect(response).toMatchObject({ channel: 'email', campaign: 'provisional', customerRef: 'cust-p1', answers: { nps: 3 } });
    expect(after.body).toMatchObject({ provisional: 0, final: 1, finalBy: { submit: 0, timeout: 1 } });
    expect(await campaignResponses('provisional')).toHaveLength(1);
  });

  it('takes a human signal as a provisional answer only when the form would take it, and drops one the survey no longer takes', async () => {
    // Prepare: a survey of its own (NPS required), so that it can change under a provisional answer
    const survey = { ...demoSurvey([]), id: 'rules' };
    expect((await request(env.runtime, 'PUT', '/v1/surveys/rules', { admin: true, body: survey })).status).toBe(200);
    const minted = await request(env.runtime, 'POST', '/v1/surveys/rules/invitations', { admin: true, body: { campaign: 'rules', recipients: [{ customerRef: 'no-nps' }, { customerRef: 'then-required' }] } });
    const [noNps, thenRequired] = (minted.body.invitations as { link: string }[]).map((i) => pathOf(i.link));
    const pageOne = await page(noNps!);
    const pageTwo = await page(thenRequired!);
    const campaign = async () => (await request(env.runtime, 'GET', '/v1/surveys/rules/campaigns/rules', { admin: true })).body;

    // Act: the form and the signal with the same answers, the required NPS left out
    const submitted = await page(noNps!, form({ v: stampOf(pageOne.text), 'a.csat': '4' }));
    const signalled = await page(`${noNps}/signal`, form({ v: stampOf(pageOne.text), signal: 'interaction', 'a.csat': '4' }));
    const withoutNps = await campaign();
    // a complete answer, recorded; then the survey makes CSAT required before the finaliser runs
    await page(`${thenRequired}/signal`, form({ v: stampOf(pageTwo.text), signal: 'interaction', 'a.nps': '8' }));
    const recorded = await campaign();
    const questions = survey.questions.map((q) => (q.id === 'csat' ? { ...q, required: true } : q));
    expect((await request(env.runtime, 'PUT', '/v1/surveys/rules', { admin: true, body: { ...survey, questions } })).status).toBe(200);
    await env.runtime.triggerSchedule('finalise-email-answers');
    const finalised = await campaign();

    // Assess
    expect(submitted.status).toBe(400);
    expect(submitted.text).toContain('How likely are you to recommend us to a friend?: choose one of 0 to 10');
    expect(signalled.status).toBe(204);
    expect(withoutNps).toMatchObject({ provisional: 0, final: 0 });
    expect(recorded).toMatchObject({ provisional: 1, final: 0 });
    expect(finalised).toMatchObject({ provisional: 0, final: 0 });
    expect(await listAll(env.runtime, 'rules')).toEqual([]);
  });

  it('thanks a form with the honeypot field filled and records nothing', async () => {
    // Prepare
    const minted = await mint('honeypot-field', [{ customerRef: 'cust-bot' }]);
    const path = pathOf(minted.body.invitations[0].link);

    // Act
    const reply = await page(path, form({ 'a.nps': '10', website: 'https://spam.example' }));
    await env.runtime.triggerSchedule('finalise-email-answers');

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('Thank you');
    expect((await report('honeypot-field')).body).toMatchObject({ provisional: 0, final: 0 });
  });

  it('takes a form and a signal whose honeypot field holds only whitespace, as the widget\'s ingest does', async () => {
    // Prepare
    const minted = await mint('honeypot-blank', [{ customerRef: 'cust-blank-form' }, { customerRef: 'cust-blank-signal' }]);
    const [formPath, signalPath] = minted.body.invitations.map((i: { link: string }) => pathOf(i.link));
    const signalPage = await page(signalPath);

    // Act: the email form and its signal with a blank honeypot, and the widget's endpoint with a blank `hp`
    const reply = await page(formPath, form({ 'a.nps': '10', website: ' \t ' }));
    const signal = await page(`${signalPath}/signal`, form({ v: stampOf(signalPage.text), signal: 'interaction', 'a.nps': '7', website: '  ' }));
    const widget = await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 10 }, hp: ' \t ', metadata: { from: 'blank-hp' } } });
    const stored = await eventually(async () => {
      const items = await listAll(env.runtime, 'demo');
      const formAnswer = items.find((r) => r.campaign === 'honeypot-blank');
      const widgetAnswer = items.find((r) => r.metadata?.from === 'blank-hp');
      return formAnswer && widgetAnswer ? { formAnswer, widgetAnswer } : undefined;
    }, 10_000, 'the form\'s and the widget\'s answers');

    // Assess
    expect(reply.status).toBe(200);
    expect(signal.status).toBe(204);
    expect(widget.status).toBe(202);
    expect(stored.formAnswer).toMatchObject({ customerRef: 'cust-blank-form', answers: { nps: 10 } });
    expect((await report('honeypot-blank')).body).toMatchObject({ provisional: 1, final: 1 });
  });
});

describe('a link opened again', () => {
  /** what the browser would send of a form page as served: its checked radios and its comment box */
  const formOf = (html: string): Record<string, string> => {
    const fields = Object.fromEntries([...html.matchAll(/<input type="radio" name="([^"]+)" value="(\d+)" checked/g)].map((m) => [m[1]!, m[2]!]));
    const comment = /<textarea[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? '';
    return { ...fields, comment: comment.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))), v: stampOf(html) };
  };

  it('shows the answer given, its comment as stored, so changing one score keeps the others and the comment', async () => {
    // Prepare: an answer whose comment holds a phone number, which is stored redacted
    const minted = await mint('reopen', [{ customerRef: 'cust-reopen', locale: 'en-GB' }]);
    const path = pathOf(minted.body.invitations[0].link);
    const opened = await page(`${path}?score=8`);
    const thanks = await page(path, form({ v: stampOf(opened.text), 'a.nps': '8', 'a.csat': '4', comment: 'Good overall, delivery could be a bit faster. Call me on 020 7946 0958.', website: '' }));
    const stored = await eventually(async () => (await campaignResponses('reopen'))[0], 10_000, 'the answer');
    const changeLink = /<a href="([^"]+)">Change my answer<\/a>/.exec(thanks.text)?.[1] ?? '';

    // Act: "Change my answer", then only NPS changed, the rest of the form as it was shown
    const reopened = await page(changeLink);
    const changed = await page(path, form({ ...formOf(reopened.text), 'a.nps': '7' }));
    const replaced = await eventually(async () => {
      const [item] = await campaignResponses('reopen');
      return item?.answers.nps === 7 ? item : undefined;
    }, 10_000, 'the changed answer');

    // Assess
    expect(stored.comment).toBe('Good overall, delivery could be a bit faster. Call me on [PHONE].');
    expect(reopened.status).toBe(200);
    expect(reopened.text).toContain('<input type="radio" name="a.nps" value="8" checked required>');
    expect(reopened.text).toContain('<input type="radio" name="a.csat" value="4" checked>');
    expect(reopened.text).toContain('>Good overall, delivery could be a bit faster. Call me on [PHONE].</textarea>');
    expect(reopened.text).toContain('This form shows your answer. Sending it again replaces it.');
    expect(reopened.text).toContain('markers such as [PHONE]');
    expect(reopened.text).not.toContain('We already have your answer.');
    expect(changed.status).toBe(200);
    expect(replaced).toMatchObject({ id: stored.id, answers: { nps: 7, csat: 4 }, comment: 'Good overall, delivery could be a bit faster. Call me on [PHONE].' });
  });

  it('shows the scores of a provisional answer before any is sent', async () => {
    // Prepare
    const minted = await mint('reopen-provisional', [{ customerRef: 'cust-reopen-p' }]);
    const path = pathOf(minted.body.invitations[0].link);
    const opened = await page(`${path}?score=9`);
    const signal = await page(`${path}/signal`, form({ v: stampOf(opened.text), signal: 'interaction', 'a.nps': '9', 'a.csat': '5' }));

    // Act
    const reopened = await page(path);

    // Assess
    expect(signal.status).toBe(204);
    expect(reopened.text).toContain('<input type="radio" name="a.nps" value="9" checked required>');
    expect(reopened.text).toContain('<input type="radio" name="a.csat" value="5" checked>');
    expect(reopened.text).not.toContain('This form shows your answer');
    expect((await report('reopen-provisional')).body).toMatchObject({ provisional: 1, final: 0 });
  });
});

describe('a comment sent by a form', () => {
  it('counts each line break once, as the textarea did, and is stored with LF line breaks', async () => {
    // Prepare: 5,000 characters as the browser counts them: a form sends each of the 11 line breaks as CRLF (one lone CR)
    const minted = await mint('line-breaks', [{ customerRef: 'cust-lines' }]);
    const path = pathOf(minted.body.invitations[0].link);
    const typed = `${'x'.repeat(4988)}${'\n'.repeat(10)}\nz`;
    const sent = `${'x'.repeat(4988)}${'\r\n'.repeat(10)}\rz`;

    // Act
    const reply = await page(path, form({ 'a.nps': '8', comment: sent }));
    const stored = await eventually(async () => (await campaignResponses('line-breaks'))[0], 10_000, 'the answer');

    // Assess
    expect(typed).toHaveLength(5_000);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('Thank you');
    expect(stored.comment).toBe(typed);
  });

  it('of only invisible characters is no comment, as on POST /v1/responses: the answer is stored without one', async () => {
    // Prepare
    const minted = await mint('invisible-comment', [{ customerRef: 'cust-invisible' }]);
    const path = pathOf(minted.body.invitations[0].link);

    // Act
    const reply = await page(path, form({ 'a.nps': '8', comment: '\u200b\u0000\r\n\u202e\u2060' }));
    const stored = await eventually(async () => (await campaignResponses('invisible-comment'))[0], 10_000, 'the answer');

    // Assess
    expect(reply.status).toBe(200);
    expect(stored.answers).toEqual({ nps: 8 });
    expect(stored).not.toHaveProperty('comment');
  });

  it('of only invisible characters, with no score, brings the form back saying to answer something, in the page\'s language and without an API field name', async () => {
    // Prepare: a survey whose every question may be skipped, so only the comment could make the answer count
    const demo = demoSurvey(['https://shop.example.com']);
    const optional = { ...demo, id: 'all-optional', questions: demo.questions.map((q) => (q.type === 'text' ? q : { ...q, required: false })) };
    const put = await request(env.runtime, 'PUT', '/v1/surveys/all-optional', { admin: true, body: optional });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const minted = await request(env.runtime, 'POST', '/v1/surveys/all-optional/invitations', {
      admin: true,
      body: { campaign: 'invisible-only', recipients: [{ customerRef: 'cust-invisible-en' }, { customerRef: 'cust-invisible-zh', locale: 'zh-CN' }] },
    });
    const [en, zh] = minted.body.invitations.map((i: { link: string }) => pathOf(i.link));

    // Act
    const english = await page(en, form({ comment: '\u200b\u2060' }));
    const chinese = await page(zh, form({ comment: '\u200b\u2060' }));

    // Assess
    expect(english.status).toBe(400);
    expect(english.text).toContain('<li>Please answer at least one question or write a comment.</li>');
    expect(chinese.status).toBe(400);
    expect(chinese.text).toContain('<li>请至少回答一个问题或填写意见。</li>');
    for (const reply of [english, chinese]) expect(reply.text).not.toContain('<li>answers');
  });

  it('over 5,000 characters comes back as the form with the comment\'s reason, the answers and the text kept, however long', async () => {
    // Prepare
    const minted = await mint('long-comment', [{ customerRef: 'cust-long' }]);
    const path = pathOf(minted.body.invitations[0].link);

    // Act: one character over; far over (past what a form field could carry before); over with a bad answer as well
    const over = await page(path, form({ 'a.nps': '8', comment: 'y'.repeat(5_001) }));
    const farOver = await page(path, form({ 'a.nps': '8', comment: 'w'.repeat(12_000) }));
    const both = await page(path, form({ 'a.nps': '42', comment: 'v'.repeat(5_001) }));
    await env.runtime.triggerSchedule('finalise-email-answers');

    // Assess
    for (const reply of [over, farOver, both]) {
      expect(reply.status).toBe(400);
      expect(reply.text).toContain('Anything you would like to tell us?: please shorten it to at most 5000 characters');
      expect(reply.text).not.toContain('This link is not valid');
    }
    expect(over.text).toContain(`>${'y'.repeat(5_001)}</textarea>`);
    expect(over.text).toContain('<input type="radio" name="a.nps" value="8" checked required>');
    expect(farOver.text).toContain(`>${'w'.repeat(12_000)}</textarea>`);
    expect(both.text).toContain('choose one of 0 to 10');
    expect((await report('long-comment')).body).toMatchObject({ provisional: 0, final: 0 });
  });
});

describe('refusals', () => {
  it('answers a friendly page with 400, 410 or 413 for bad links, scores and forms, and records nothing', async () => {
    // Prepare
    const minted = await mint('refusals', [{ customerRef: 'cust-r' }]);
    const { link, invitationId } = minted.body.invitations[0];
    const path = pathOf(link);
    const expired = signLinkToken(LINK_KEYS, { purpose: 'survey', surveyId: 'demo', invitationId, exp: Math.floor(Date.now() / 1000) - 60 });
    const tampered = `${path.slice(0, -2)}${path.endsWith('AA') ? 'BB' : 'AA'}`;

    // Act
    const replies = {
      tampered: await page(tampered),
      truncated: await page(path.slice(0, 20)),
      expired: await page(`/s/${expired}?score=9`),
      expiredSubmit: await page(`/s/${expired}`, form({ 'a.nps': '9' })),
      outOfRange: await page(`${path}?score=11`),
      notANumber: await page(`${path}?score=nine`),
      badAnswer: await page(path, form({ 'a.nps': '42', comment: 'x' })),
      missingRequired: await page(path, form({ comment: 'only a comment' })),
      tooLarge: await page(path, form({ 'a.nps': '9', comment: 'x'.repeat(70_000) })),
    };
    await env.runtime.triggerSchedule('finalise-email-answers');

    // Assess
    const statuses = Object.fromEntries(Object.entries(replies).map(([name, r]) => [name, r.status]));
    expect(statuses).toEqual({ tampered: 400, truncated: 400, expired: 410, expiredSubmit: 410, outOfRange: 400, notANumber: 400, badAnswer: 400, missingRequired: 400, tooLarge: 413 });
    expect(Object.values(replies).every((r) => r.type.startsWith('text/html'))).toBe(true);
    expect(replies.tampered.text).toContain('This link is not valid');
    expect(replies.expired.text).toContain('This link has expired');
    expect(replies.outOfRange.text).toContain('is not on the scale from 0 to 10');
    expect(replies.outOfRange.text).not.toMatch(/value="\d+" checked/);
    expect(replies.badAnswer.text).toContain('choose one of 0 to 10');
    expect(replies.badAnswer.text).toContain('>x</textarea>');
    expect((await report('refusals')).body).toMatchObject({ provisional: 0, final: 0 });
    expect(await campaignResponses('refusals')).toEqual([]);
  });
});

describe('a post that is not the page\'s form', () => {
  it('of 65 fields gets a page saying the answer could not be read, not that the link is bad, and records nothing', async () => {
    // Prepare
    const minted = await mint('unreadable', [{ customerRef: 'cust-unreadable' }]);
    const path = pathOf(minted.body.invitations[0].link);
    const fields = Object.fromEntries([['a.nps', '9'], ...Array.from({ length: 64 }, (_, i) => [`x${i}`, '1'])]);

    // Act
    const reply = await page(path, form(fields));
    await env.runtime.triggerSchedule('finalise-email-answers');

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.type).toMatch(/^text\/html/);
    expect(reply.text).toContain('We could not read your answer');
    expect(reply.text).not.toContain('This link is not valid');
    expect((await report('unreadable')).body).toMatchObject({ provisional: 0, final: 0 });
  });

  it('as a signal over its size gets a bare 413, as its other refusals do, not a page', async () => {
    // Prepare
    const minted = await mint('big-signal', [{ customerRef: 'cust-big-signal' }]);
    const path = pathOf(minted.body.invitations[0].link);

    // Act
    const reply = await page(`${path}/signal`, form({ signal: 'interaction', 'a.nps': '9', pad: 'x'.repeat(5_000) }));

    // Assess
    expect(reply.status).toBe(413);
    expect(reply.text).toBe('');
    expect((await report('big-signal')).body).toMatchObject({ provisional: 0, final: 0 });
  });

  it('with a comment holding bytes that are not UTF-8 (%FF) comes back as the form with the comment\'s reason and the answers kept, and records nothing', async () => {
    // Prepare
    const minted = await mint('not-text', [{ customerRef: 'cust-not-text' }]);
    const path = pathOf(minted.body.invitations[0].link);
    const body = 'a.nps=8&a.csat=4&comment=Caf%C3%A9+was+cold%FF';

    // Act
    const reply = await page(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    await env.runtime.triggerSchedule('finalise-email-answers');

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('Anything you would like to tell us?: some of its characters did not arrive as text');
    expect(reply.text).toContain('<input type="radio" name="a.nps" value="8" checked required>');
    expect(reply.text).toContain('<input type="radio" name="a.csat" value="4" checked>');
    expect(reply.text).toContain('>Café was cold\ufffd</textarea>');
    expect((await report('not-text')).body).toMatchObject({ provisional: 0, final: 0 });
    expect(await campaignResponses('not-text')).toEqual([]);
  });
});

describe('an invitation first answered longer ago than its survey lets an answer change', () => {
  it('shows no form, refuses a new answer with 409 and a page saying so, and drops a late provisional answer: the stored answer stays', async () => {
    // Prepare: a survey keeping responses 1 day; one invitation answered 9, another with a provisional 3, then both
    // first answers moved 3 days back (past the rollup's recomputation of their hour, and past the response's expiry)
    expect((await request(env.runtime, 'PUT', '/v1/surveys/brief', { admin: true, body: { ...demoSurvey([]), id: 'brief', channels: ['web', 'email'], retentionDays: 1 } })).status).toBe(200);
    const minted = await request(env.runtime, 'POST', '/v1/surveys/brief/invitations', { admin: true, body: { campaign: 'late', recipients: [{ customerRef: 'late-submit' }, { customerRef: 'late-signal' }, { customerRef: 'on-time' }] } });
    const [submitted, signalled, onTime] = minted.body.invitations as { link: string; invitationId: string }[];
    const first = await page(pathOf(submitted!.link), form({ 'a.nps': '9' }));
    const stored = await eventually(async () => (await listAll(env.runtime, 'brief')).find((r) => r.customerRef === 'late-submit'), 10_000, 'the first answer');
    const signalPage = await page(pathOf(signalled!.link));
    await page(`${pathOf(signalled!.link)}/signal`, form({ v: stampOf(signalPage.text), signal: 'interaction', 'a.nps': '3' }));
    const before = await request(env.runtime, 'GET', '/v1/surveys/brief/campaigns/late', { admin: true });
    const db = testDocumentClient(env.runtime.dynamoEndpoint);
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
    for (const { invitationId } of [submitted!, signalled!]) {
      await db.send(new UpdateCommand({ TableName: 'invitations', Key: { invitationId }, UpdateExpression: 'SET answeredAt = :at', ExpressionAttributeValues: { ':at': threeDaysAgo } }));
    }
    db.destroy();

    // Act
    const reopened = await page(`${pathOf(submitted!.link)}?score=2`);
    const again = await page(pathOf(submitted!.link), form({ v: stampOf(reopened.text), 'a.nps': '2', comment: 'Much worse since' }));
    const lateSignal = await page(`${pathOf(signalled!.link)}/signal`, form({ v: stampOf(signalPage.text), signal: 'interaction', 'a.nps': '4' }));
    await env.runtime.triggerSchedule('finalise-email-answers');
    // an answer sent after the refusals, stored: the refused one, had it been queued, would have been stored with it
    await page(pathOf(onTime!.link), form({ 'a.nps': '10' }));
    const after = await eventually(async () => {
      const items = await listAll(env.runtime, 'brief');
      return items.some((r) => r.customerRef === 'on-time') ? items : undefined;
    }, 10_000, 'the answer sent after the refusals');
    const campaign = await request(env.runtime, 'GET', '/v1/surveys/brief/campaigns/late', { admin: true });

    // Assess
    expect(first.status).toBe(200);
    expect(before.body).toMatchObject({ provisional: 1, final: 1 });
    expect(reopened.status).toBe(200);
    expect(reopened.text).toContain('Your answer can no longer be changed');
    expect(reopened.text).not.toContain('<form');
    expect(again.status).toBe(409);
    expect(again.type).toMatch(/^text\/html/);
    expect(again.text).toContain('Your answer can no longer be changed');
    expect(again.text).not.toContain('Thank you, your feedback');
    expect(lateSignal.status).toBe(204);
    expect(after.filter((r) => r.campaign === 'late').map((r) => [r.customerRef, r.answers.nps]).sort()).toEqual([['late-submit', 9], ['on-time', 10]]);
    expect(after.find((r) => r.customerRef === 'late-submit')).toMatchObject({ receivedAt: stored.receivedAt, expiresAt: stored.expiresAt });
    expect(campaign.body).toMatchObject({ invitations: 3, provisional: 0, final: 2, finalBy: { submit: 2, timeout: 0 } });
  });

  it('stays closed when the survey keeps responses longer since its first answer, whose hour the rollup no longer recomputes', async () => {
    // Prepare: answered under a 1-day retention, raised to 30 days since; the first answer moved 3 days back (its
    // response has expired, so the rollup keeps its hour as it is: a change would be stored and never counted)
    expect((await request(env.runtime, 'PUT', '/v1/surveys/raised', { admin: true, body: { ...demoSurvey([]), id: 'raised', channels: ['web', 'email'], retentionDays: 1 } })).status).toBe(200);
    const minted = await request(env.runtime, 'POST', '/v1/surveys/raised/invitations', { admin: true, body: { campaign: 'raised', recipients: [{ customerRef: 'raised-later' }] } });
    const [invitation] = minted.body.invitations as { link: string; invitationId: string }[];
    await page(pathOf(invitation!.link), form({ 'a.nps': '9' }));
    expect((await request(env.runtime, 'PUT', '/v1/surveys/raised', { admin: true, body: { ...demoSurvey([]), id: 'raised', channels: ['web', 'email'], retentionDays: 30 } })).status).toBe(200);
    const db = testDocumentClient(env.runtime.dynamoEndpoint);
    const { Item } = await db.send(new GetCommand({ TableName: 'invitations', Key: { invitationId: invitation!.invitationId } }));
    await db.send(new UpdateCommand({ TableName: 'invitations', Key: { invitationId: invitation!.invitationId }, UpdateExpression: 'SET answeredAt = :at', ExpressionAttributeValues: { ':at': new Date(Date.now() - 3 * 86_400_000).toISOString() } }));
    db.destroy();

    // Act
    const reopened = await page(pathOf(invitation!.link));
    const again = await page(pathOf(invitation!.link), form({ v: stampOf(reopened.text), 'a.nps': '2' }));

    // Assess: the retention it was answered under is kept with the invitation, and closes it
    expect(Item).toMatchObject({ answeredRetentionDays: 1 });
    expect(reopened.text).toContain('Your answer can no longer be changed');
    expect(again.status).toBe(409);
  });

  it('takes no provisional answer the finaliser\'s longest delay could make late: the one recorded before stands', async () => {
    // Prepare: a provisional 3, then its first answer moved 21 hours back (retention 1 day: the answers close within
    // 3 hours, sooner than a finaliser deployed with its longest delay, 20 hours, would make a new one final)
    expect((await request(env.runtime, 'PUT', '/v1/surveys/brief', { admin: true, body: { ...demoSurvey([]), id: 'brief', channels: ['web', 'email'], retentionDays: 1 } })).status).toBe(200);
    const minted = await request(env.runtime, 'POST', '/v1/surveys/brief/invitations', { admin: true, body: { campaign: 'near-close', recipients: [{ customerRef: 'near-close' }] } });
    const [invitation] = minted.body.invitations as { link: string; invitationId: string }[];
    const signalPage = await page(pathOf(invitation!.link));
    await page(`${pathOf(invitation!.link)}/signal`, form({ v: stampOf(signalPage.text), signal: 'interaction', 'a.nps': '3' }));
    const db = testDocumentClient(env.runtime.dynamoEndpoint);
    const twentyOneHoursAgo = new Date(Date.now() - 21 * 3_600_000).toISOString();
    await db.send(new UpdateCommand({ TableName: 'invitations', Key: { invitationId: invitation!.invitationId }, UpdateExpression: 'SET answeredAt = :at', ExpressionAttributeValues: { ':at': twentyOneHoursAgo } }));
    db.destroy();

    // Act: the person changes the answer on the page without sending it; the finaliser runs
    const change = await page(`${pathOf(invitation!.link)}/signal`, form({ v: stampOf(signalPage.text), signal: 'interaction', 'a.nps': '4' }));
    await env.runtime.triggerSchedule('finalise-email-answers');
    const stored = await eventually(async () => (await listAll(env.runtime, 'brief')).find((r) => r.customerRef === 'near-close'), 10_000, 'the provisional answer made final');

    // Assess
    expect(change.status).toBe(204);
    expect(stored.answers).toEqual({ nps: 3 });
  });
});
