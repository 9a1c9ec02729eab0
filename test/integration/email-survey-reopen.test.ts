// integration, on dynalite: the answer an email link shows when it is opened again, in the moments the local runtime
// passes too quickly to see. While the response is still on the queue, the form holds the scores the invitation kept
// when it was made final, and says the comment is still being saved (only the stored response has it, redacted); once
// stored, the stored answer with its comment; never an older stored answer than the one the invitation took last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../functions/commons/http.js';
import { makeEmailSurveyRoutes } from '../../functions/email-survey/routes.js';
import type { Clock } from '../../shared/clock.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { createDynamoResponsesById } from '../../shared/invitations/dynamo-responses-by-id.js';
import { makeEmailSurvey } from '../../shared/invitations/email-survey.js';
import { makeFinaliseProvisional } from '../../shared/invitations/finalise-provisional.js';
import type { InvitationStore } from '../../shared/invitations/invitation-store.js';
import { signLinkToken } from '../../shared/links/signed-token.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import type { QueuedResponse } from '../../shared/submission/schema.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { surveyWith } from '../support/fixtures.js';
import { LINK_KEYS } from '../support/local-runtime.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let invitations: InvitationStore;
let emailSurvey: ReturnType<typeof makeEmailSurvey>;
let finalise: ReturnType<typeof makeFinaliseProvisional>;
let routes: ReturnType<typeof makeEmailSurveyRoutes>;
/** the responses queue: holds what was sent until the test processes it */
const queued: QueuedResponse[] = [];
const clock: Clock = { now: () => new Date() };
const sentiment: SentimentAnalyzer = { analyze: async (requests) => requests.map(({ id }) => ({ id, status: 'unscored', language: 'en', reason: 'unsupported-language' })) };
const survey = surveyWith([{ id: 'nps', type: 'nps', required: true }, { id: 'csat', type: 'csat' }, { id: 'comment', type: 'text' }], { id: 'mail' });

beforeAll(async () => {
  dynamo = await startTestDynamo('email-survey-reopen');
  invitations = createDynamoInvitationStore(dynamo.db, 'invitations');
  await createDynamoSurveyStore(dynamo.db, 'surveys').put(survey);
  const deps = { linkKeys: async () => LINK_KEYS, clock, dwellSeconds: 2 };
  emailSurvey = makeEmailSurvey({
    ...deps,
    invitations,
    surveys: createDynamoSurveyStore(dynamo.db, 'surveys'),
    responses: createDynamoResponsesById(dynamo.db, 'responses'),
    queue: { send: async (message) => void queued.push(message) },
  });
  routes = makeEmailSurveyRoutes({ ...deps, emailSurvey });
  finalise = makeFinaliseProvisional({ invitations, surveys: createDynamoSurveyStore(dynamo.db, 'surveys'), queue: { send: async (message) => void queued.push(message) }, clock, delayMinutes: 0 });
});
afterAll(async () => {
  await dynamo?.close();
});

async function invited(invitationId: string): Promise<string> {
  const expiresAt = Math.floor(Date.now() / 1000) + 86_400;
  await invitations.create({ invitationId, surveyId: 'mail', campaign: 'nov', customerRef: `c-${invitationId}`, createdAt: new Date().toISOString(), expiresAt, retainUntil: expiresAt + 86_400 });
  return signLinkToken(LINK_KEYS, { purpose: 'survey', surveyId: 'mail', invitationId, exp: expiresAt });
}

/** the process step, on what the queue holds */
async function processQueue(): Promise<void> {
  const messages = queued.splice(0).map((body, i) => ({ messageId: `m${i}`, body: JSON.stringify(body) }));
  const batch = await makeProcessResponses({ store: createDynamoResponseStore(dynamo.db, 'responses'), sentiment, dirty: createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'), clock })(messages);
  for (const { messageId } of messages) await batch.store(messageId);
}

const pageOf = async (token: string) => {
  const result = await routes({ routeKey: 'GET /s/{token}', pathParameters: { token }, headers: {} } as unknown as HttpEvent);
  return { status: result.statusCode, text: String(result.body) };
};

describe('a link opened again', () => {
  it('shows the scores the invitation kept while the response is on the queue, then the stored answer with its comment', async () => {
    // Prepare
    const token = await invited('i_reopen_queued');
    await emailSurvey.submit(token, { 'a.nps': '8', 'a.csat': '4', comment: 'Good overall, delivery could be a bit faster.' });

    // Act: opened before the process step stored the answer, then after
    const queuedOpen = await emailSurvey.open(token, undefined);
    const queuedPage = await pageOf(token);
    await processQueue();
    const storedOpen = await emailSurvey.open(token, undefined);
    const storedPage = await pageOf(token);

    // Assess
    expect(queuedOpen.shown).toEqual({ state: 'final', answers: { nps: 8, csat: 4 }, commentPending: true });
    expect(queuedPage.status).toBe(200);
    expect(queuedPage.text).toContain('<input type="radio" name="a.nps" value="8" checked required>');
    expect(queuedPage.text).toContain('<input type="radio" name="a.csat" value="4" checked>');
    expect(queuedPage.text).toContain('Your comment is still being saved');
    expect(queuedPage.text).toMatch(/<textarea[^>]*><\/textarea>/);
    expect(storedOpen.shown).toEqual({ state: 'final', answers: { nps: 8, csat: 4 }, comment: 'Good overall, delivery could be a bit faster.' });
    expect(storedPage.text).toContain('>Good overall, delivery could be a bit faster.</textarea>');
    expect(storedPage.text).toContain('This form shows your answer. Sending it again replaces it.');
    expect(storedPage.text).not.toContain('Your comment is still being saved');
  });

  it('shows the answer sent last, not the earlier one stored while the last is on the queue, and the link\'s score over it', async () => {
    // Prepare: a first answer stored, a second one sent (no comment) and not yet stored
    const token = await invited('i_reopen_changed');
    await emailSurvey.submit(token, { 'a.nps': '3', 'a.csat': '2', comment: 'Slow' });
    await processQueue();
    await emailSurvey.submit(token, { 'a.nps': '9' });

    // Act
    const opened = await emailSurvey.open(token, undefined);
    const clicked = await emailSurvey.open(token, '10');

    // Assess
    expect(opened.shown).toEqual({ state: 'final', answers: { nps: 9 } });
    expect(clicked).toMatchObject({ score: 10, shown: { answers: { nps: 9 } } });
  });

  it('shows a provisional answer made final by time with its scores while its response is on the queue', async () => {
    // Prepare: a human signal's scores, on a page served long enough ago
    const token = await invited('i_reopen_timeout');
    const served = await pageOf(token);
    const stamp = /name="v" value="([^"]+)"/.exec(served.text)?.[1] ?? '';
    expect(await emailSurvey.signal(token, { v: stamp, signal: 'interaction', 'a.nps': '6', 'a.csat': '3' })).toBe('recorded');
    const provisional = await emailSurvey.open(token, undefined);
    expect((await finalise()).finalised).toBeGreaterThanOrEqual(1);

    // Act
    const opened = await emailSurvey.open(token, undefined);

    // Assess
    expect(provisional.shown).toEqual({ state: 'provisional', answers: { nps: 6, csat: 3 } });
    expect(opened.shown).toEqual({ state: 'final', answers: { nps: 6, csat: 3 } });
  });
});
