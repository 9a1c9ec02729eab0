// integration, on the local runtime: one customerRef rule at every door (ingest, invitations, export, erasure), and a
// ref that an older ingest stored with a control character (put straight into dynalite here, as that version did)
// is still exported and erased through the routes' "as stored" form (?encoding=base64url) and the CLI's --as-stored.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerRefHashOf } from '../../shared/audit/audit-entry.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { invitationIdFor } from '../../shared/invitations/invitation.js';
import { asStoredParameter } from '../../shared/privacy/customer-ref.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { storedResponse } from '../support/fixtures.js';
import { testDocumentClient } from '../support/dynamo.js';
import { ADMIN_TOKEN, request, startTestRuntime } from '../support/local-runtime.js';

const run = promisify(execFile);
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

const NOW = new Date().toISOString();
const FAR = Math.floor(Date.now() / 1000) + 86_400 * 30;

/** what the older ingest and invitation API stored for a ref: a response and an invitation carrying it as it was */
async function storedTheOldWay(customerRef: string, id: string) {
  await createDynamoResponseStore(db, 'responses').putIfAbsent(
    storedResponse({ id, surveyId: 'demo', receivedAt: NOW, storedAt: NOW, expiresAt: FAR, answers: { nps: 3 }, customerRef }),
  );
  const invitationId = invitationIdFor('demo', 'legacy', customerRef);
  await createDynamoInvitationStore(db, 'invitations').create({
    invitationId,
    surveyId: 'demo',
    campaign: 'legacy',
    customerRef,
    createdAt: NOW,
    expiresAt: FAR,
    retainUntil: FAR + 86_400,
  });
  return invitationId;
}

const audit = async () => (await request(env.runtime, 'GET', '/v1/audit?limit=200', { admin: true })).body.items as { action: string; status: number; targets: Record<string, string> }[];

describe('a customerRef with a control character', () => {
  it('is refused with 400 naming customerRef by ingest, the invitation API, export and erasure', async () => {
    // Act
    const submitted = await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 9 }, customerRef: 'cust\u000142' } });
    const invited = await request(env.runtime, 'POST', '/v1/surveys/demo/invitations', { admin: true, body: { campaign: 'c', recipients: [{ customerRef: 'cust\t42' }] } });
    const exported = await request(env.runtime, 'GET', '/v1/customers/cust%0142/export', { admin: true });
    const erased = await request(env.runtime, 'DELETE', '/v1/customers/cust%0942', { admin: true });

    // Assess
    const reason = 'no control characters (U+0000–U+001F, U+007F–U+009F)';
    expect(submitted.status).toBe(400);
    expect(submitted.body.details).toEqual([{ path: 'customerRef', reason }]);
    expect(invited.status).toBe(400);
    expect(invited.body.details).toEqual([{ path: 'recipients.0.customerRef', reason }]);
    expect([exported.status, erased.status]).toEqual([400, 400]);
    expect(exported.body.details).toEqual([{ path: 'customerRef', reason }]);
    expect(erased.body.details).toEqual([{ path: 'customerRef', reason }]);
  });

  it('stored by an older version is exported and erased as stored (base64url), and nobody else\'s data is touched', async () => {
    // Prepare: the legacy customer, and a customer whose ref is that ref without the control character
    const legacy = 'cust\u000177';
    const legacyInvitation = await storedTheOldWay(legacy, 'r_legacy_77');
    const neighbourInvitation = await storedTheOldWay('cust77', 'r_neighbour_77');
    const asStored = `/v1/customers/${asStoredParameter(legacy)}`;

    // Act
    const exported = await request(env.runtime, 'GET', `${asStored}/export?encoding=base64url`, { admin: true });
    const erased = await request(env.runtime, 'DELETE', `${asStored}?encoding=base64url`, { admin: true });
    const erasedAgain = await request(env.runtime, 'DELETE', `${asStored}?encoding=base64url`, { admin: true });
    const exportedAfter = await request(env.runtime, 'GET', `${asStored}/export?encoding=base64url`, { admin: true });
    const neighbour = await request(env.runtime, 'GET', '/v1/customers/cust77/export', { admin: true });
    const cxLead = await request(env.runtime, 'POST', '/v1/tokens', { admin: true, body: { name: 'lead', role: 'cx', surveys: ['demo'] } });
    const byCxLead = await request(env.runtime, 'DELETE', `${asStored}?encoding=base64url`, { token: cxLead.body.token });
    const unknownEncoding = await request(env.runtime, 'DELETE', `${asStored}?encoding=hex`, { admin: true });

    // Assess: everything held about the legacy ref was found and erased, once
    expect(exported.status).toBe(200);
    expect(exported.body.customerRef).toBe(legacy);
    expect(exported.body.responses).toEqual([expect.objectContaining({ id: 'r_legacy_77', customerRef: legacy })]);
    expect(exported.body.invitations).toEqual([expect.objectContaining({ invitationId: legacyInvitation, customerRef: legacy })]);
    expect(erased.status).toBe(200);
    expect(erased.body.erased).toEqual({ responses: 1, tasks: 0, notifications: 0, invitations: 1 });
    expect(erasedAgain.body.erased).toEqual({ responses: 0, tasks: 0, notifications: 0, invitations: 0 });
    expect(exportedAfter.body).toMatchObject({ responses: [], tasks: [], notifications: [], invitations: [] });
    // the customer without the control character keeps everything
    expect(neighbour.body.responses).toEqual([expect.objectContaining({ id: 'r_neighbour_77' })]);
    expect(neighbour.body.invitations).toEqual([expect.objectContaining({ invitationId: neighbourInvitation })]);
    // admin only, and a wrong encoding is named
    expect(byCxLead.status).toBe(403);
    expect(unknownEncoding.status).toBe(400);
    expect(unknownEncoding.body.details).toEqual([{ path: 'encoding', reason: 'only "base64url" (the ref exactly as stored)' }]);
    // audited under the stored ref's hash, as every erasure is
    const entries = await audit();
    expect(entries.filter((e) => e.action === 'customer.erase' && e.targets.customerRefHash === customerRefHashOf(legacy)).map((e) => e.status).sort()).toEqual([200, 200, 403]);
    expect(entries.find((e) => e.action === 'customer.export' && e.status === 200 && e.targets.customerRefHash === customerRefHashOf(legacy))).toBeDefined();
  });

  it('stored by an older version is erased by the CLI\'s customers erase --as-stored', async () => {
    // Prepare
    const legacy = 'cust\t88';
    await storedTheOldWay(legacy, 'r_legacy_88');

    // Act
    const cli = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'customers', 'erase', '--as-stored', legacy], {
      env: { ...process.env, FEEDBACK_ENDPOINT: env.runtime.url, FEEDBACK_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    const exportedAfter = await request(env.runtime, 'GET', `/v1/customers/${asStoredParameter(legacy)}/export?encoding=base64url`, { admin: true });

    // Assess
    expect(cli.stdout).toContain('erased: 1 responses, 0 tasks, 0 notifications, 1 invitations');
    expect(exportedAfter.body).toMatchObject({ responses: [], invitations: [] });
  });
});
