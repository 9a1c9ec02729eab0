// integration, on the local runtime: e-mail addresses and phone numbers in a response's metadata and in an invitation's
// custom fields are stored redacted, like comments, whatever the survey's privacy.comments; other values are stored as
// sent. Fields are redacted when the invitation is minted; an invitation minted before that (put straight into
// dynalite here, clear fields and all) still gives a response whose metadata is redacted, by the process step.
import { DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyLinkPath } from '../../shared/invitations/email-snippet.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { invitationIdFor } from '../../shared/invitations/invitation.js';
import { signLinkToken } from '../../shared/links/signed-token.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { testDocumentClient } from '../support/dynamo.js';
import { eventually, LINK_KEYS, listAll, request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  env = await startTestRuntime();
  db = testDocumentClient(env.runtime.dynamoEndpoint);
});
afterAll(async () => {
  db?.destroy();
  await env?.close();
});

/** personal values and what each is stored as, beside values that must stay as they are */
const SENT = {
  contact: 'ana.lopez@example.com',
  mobile: '+44 20 7946 0958',
  note: 'call 0171-555 12 34 after 5pm',
  plan: 'gold',
  orderId: '12345',
  visited: '2026-11-03',
};
const STORED = {
  contact: '[EMAIL]',
  mobile: '[PHONE]',
  note: 'call [PHONE] after 5pm',
  plan: 'gold',
  orderId: '12345',
  visited: '2026-11-03',
};

describe('metadata of a response', () => {
  it('is stored with e-mails and phone numbers redacted and every other value as sent, also where comments are kept', async () => {
    // Prepare: a survey that keeps its comments as written
    const keeps = await request(env.runtime, 'PUT', '/v1/surveys/keeps', { admin: true, body: { ...demoSurvey([]), id: 'keeps', privacy: { comments: 'keep' } } });

    // Act
    const redacting = await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 8 }, metadata: SENT } });
    const keeping = await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'keeps', channel: 'web', answers: { nps: 8 }, comment: 'mail me at ana.lopez@example.com', metadata: SENT } });
    const [demo] = await eventually(async () => ((await listAll(env.runtime, 'demo')).length ? listAll(env.runtime, 'demo') : undefined), 10_000, 'the demo response');
    const [kept] = await eventually(async () => ((await listAll(env.runtime, 'keeps')).length ? listAll(env.runtime, 'keeps') : undefined), 10_000, 'the keeps response');

    // Assess
    expect(keeps.status).toBeLessThan(300);
    expect([redacting.status, keeping.status]).toEqual([202, 202]);
    expect(demo).toMatchObject({ id: redacting.body.id, metadata: STORED });
    expect(kept).toMatchObject({ id: keeping.body.id, comment: 'mail me at ana.lopez@example.com', metadata: STORED });
  });
});

describe('custom fields of an invitation', () => {
  it('are stored redacted when the invitation is minted, other values as sent', async () => {
    // Act
    const minted = await request(env.runtime, 'POST', '/v1/surveys/demo/invitations', { admin: true, body: { campaign: 'fields', recipients: [{ customerRef: 'cust-fields', fields: SENT }] } });
    const exported = await request(env.runtime, 'GET', '/v1/customers/cust-fields/export', { admin: true });

    // Assess
    expect(minted.status).toBe(201);
    expect(exported.body.invitations).toEqual([expect.objectContaining({ customerRef: 'cust-fields', fields: STORED })]);
  });

  it('minted before fields were redacted give a response whose metadata is redacted by the process step', async () => {
    // Prepare: an invitation stored the old way, its fields in clear text, and its personal link
    const now = Math.floor(Date.now() / 1000);
    const invitationId = invitationIdFor('demo', 'legacy-fields', 'cust-legacy');
    await createDynamoInvitationStore(db, 'invitations').create({
      invitationId,
      surveyId: 'demo',
      campaign: 'legacy-fields',
      customerRef: 'cust-legacy',
      fields: SENT,
      createdAt: new Date().toISOString(),
      expiresAt: now + 86_400,
      retainUntil: now + 2 * 86_400,
    });
    const path = surveyLinkPath(signLinkToken(LINK_KEYS, { purpose: 'survey', surveyId: 'demo', invitationId, exp: now + 86_400 }));
    const opened = await fetch(`${env.runtime.url}${path}?score=9`).then((r) => r.text());
    const stamp = /name="v" value="([^"]+)"/.exec(opened)?.[1] ?? '';

    // Act
    const answered = await fetch(`${env.runtime.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ v: stamp, 'a.nps': '9', website: '' }).toString(),
      redirect: 'manual',
    });
    const stored = await eventually(async () => (await listAll(env.runtime, 'demo')).find((r) => r.campaign === 'legacy-fields'), 10_000, 'the legacy answer');

    // Assess
    expect(answered.status).toBe(200);
    expect(stored).toMatchObject({ channel: 'email', customerRef: 'cust-legacy', answers: { nps: 9 }, metadata: STORED });
  });
});
