// integration: secrets an operator changes without a deploy (docs/security-and-privacy.md, docs/follow-up.md) reach
// the containers already running, which read them before the change and may keep running for hours. Link keys: a link
// signed with a key added since verifies at once (its key id has the keys read again), and signers take up the new key
// within SECRET_TTL_MS. The admin token: a new one works at once (an unknown token has it read again), the replaced one
// stops working within SECRET_TTL_MS. Neither lets unknown values make a container call Secrets Manager at their rate.
// Secrets Manager is the deploy-faithful runner's, over the SDK's wire protocol (test/support/local-secrets-manager.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenFromEnvironment } from '../../functions/commons/admin-token.js';
import { linkKeysFromEnvironment } from '../../functions/commons/link-keys.js';
import { makePrincipalResolver } from '../../functions/commons/principal.js';
import { REREAD_ON_MISMATCH_MS, SECRET_TTL_MS } from '../../functions/commons/secret.js';
import { boundEnvNames } from '../../infra/topology.js';
import type { TaskStore } from '../../shared/followups/task-store.js';
import { makeResurvey } from '../../shared/followups/resurvey.js';
import { pageStamp, servedAtOf, stampKidOf } from '../../shared/invitations/human-signal.js';
import { linkKidOf, signLinkToken, verifyLinkToken } from '../../shared/links/signed-token.js';
import type { HttpEvent } from '../../functions/commons/http.js';
import { startLocalSecretsManager } from '../support/local-secrets-manager.js';

const K1 = { kid: 'k1', secret: 'the-first-link-key-of-32-characters-or-more' };
const K2 = { kid: 'k2', secret: 'the-second-link-key-of-32-characters-or-more' };
const ADMIN = 'the-bootstrap-admin-token-before-rotation';
const NEW_ADMIN = 'the-bootstrap-admin-token-after-rotation';
const T0 = Date.parse('2026-12-07T12:00:00Z');

let secretsManager: Awaited<ReturnType<typeof startLocalSecretsManager>>;
beforeAll(async () => {
  secretsManager = await startLocalSecretsManager({ LinkSigningKeys: JSON.stringify([K1]), AdminToken: ADMIN });
});
afterAll(() => secretsManager.close());

/** a container's clock, which the test moves */
const containerClock = () => {
  const clock = { at: T0, now: () => clock.at };
  return clock;
};

describe('Link keys rotated in Secrets Manager', () => {
  it('a link signed with the added key verifies in a container that read the keys before; signers take it up within the TTL', async () => {
    // Prepare: a signing container (followups) and a verifying one (email survey), both warm with [k1]
    secretsManager.put('LinkSigningKeys', JSON.stringify([K1]));
    const env = { [boundEnvNames.linkSigningKeysSecretArn]: secretsManager.arnOf('LinkSigningKeys') };
    const signerClock = containerClock();
    const verifierClock = containerClock();
    const signerKeys = linkKeysFromEnvironment(env, signerClock.now);
    const verifierKeys = linkKeysFromEnvironment(env, verifierClock.now);
    expect((await signerKeys()).map((key) => key.kid)).toEqual(['k1']);
    expect((await verifierKeys()).map((key) => key.kid)).toEqual(['k1']);

    // Act: the operator appends k2; a new container signs with it at once
    secretsManager.put('LinkSigningKeys', JSON.stringify([K1, K2]));
    const payload = { purpose: 'survey', surveyId: 'demo', invitationId: 'inv-1', exp: Math.floor(T0 / 1000) + 86_400 } as const;
    const newToken = signLinkToken(await linkKeysFromEnvironment(env)(), payload);
    const newStamp = pageStamp(await linkKeysFromEnvironment(env)(), newToken, new Date(T0));
    verifierClock.at += REREAD_ON_MISMATCH_MS;
    const verified = verifyLinkToken(await verifierKeys({ kid: linkKidOf(newToken) }), newToken, 'survey', new Date(T0));
    const servedAt = servedAtOf(await verifierKeys({ kid: stampKidOf(newStamp) }), newToken, newStamp);
    signerClock.at += SECRET_TTL_MS - 1;
    const signedBeforeTtl = linkKidOf(signLinkToken(await signerKeys(), payload));
    signerClock.at += 1;
    const signedAfterTtl = linkKidOf(signLinkToken(await signerKeys(), payload));

    // Assess
    expect(linkKidOf(newToken)).toBe('k2');
    expect(verified).toEqual({ ok: true, payload: { kid: 'k2', ...payload } });
    expect(servedAt).toEqual(new Date(T0));
    expect([signedBeforeTtl, signedAfterTtl]).toEqual(['k1', 'k2']);
  });

  it('the re-survey use case asks for the key its link names: a link signed with the added key reaches the task lookup', async () => {
    // Prepare: a warm re-survey container that read [k1]; no task exists (the lookup is what is reached)
    secretsManager.put('LinkSigningKeys', JSON.stringify([K1]));
    const env = { [boundEnvNames.linkSigningKeysSecretArn]: secretsManager.arnOf('LinkSigningKeys') };
    const clock = containerClock();
    const linkKeys = linkKeysFromEnvironment(env, clock.now);
    await linkKeys();
    const resurvey = makeResurvey({ tasks: { get: async () => undefined } as unknown as TaskStore, linkKeys, clock: { now: () => new Date(T0) } });
    secretsManager.put('LinkSigningKeys', JSON.stringify([K1, K2]));
    const token = signLinkToken([K1, K2], { purpose: 'resurvey', surveyId: 'demo', taskId: 'task-1', exp: Math.floor(T0 / 1000) + 86_400 });

    // Act
    clock.at += REREAD_ON_MISMATCH_MS;
    const refused = await resurvey.show(token).catch((error: { status?: number; message?: string }) => [error.status, error.message]);

    // Assess: 404 for the task, not 400 for the link
    expect(refused).toEqual([404, 're-survey not found']);
  });

  it('made-up key ids have the keys read again at most once per REREAD_ON_MISMATCH_MS, and a known one never', async () => {
    // Prepare
    secretsManager.put('LinkSigningKeys', JSON.stringify([K1]));
    const clock = containerClock();
    const keys = linkKeysFromEnvironment({ [boundEnvNames.linkSigningKeysSecretArn]: secretsManager.arnOf('LinkSigningKeys') }, clock.now);
    await keys();
    const before = secretsManager.reads;

    // Act: 200 links naming unknown keys over two minutes, and as many naming k1
    for (let i = 0; i < 200; i += 1) {
      clock.at += 600;
      expect((await keys({ kid: `forged-${i}` })).map((key) => key.kid)).toEqual(['k1']);
      await keys({ kid: 'k1' });
    }

    // Assess: 120 s at most one read per 30 s
    expect(secretsManager.reads - before).toBe(120_000 / REREAD_ON_MISMATCH_MS);
  });
});

describe('The admin token replaced in Secrets Manager', () => {
  const requestWith = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, requestContext: { http: { sourceIp: '203.0.113.7' } } }) as unknown as HttpEvent;
  const statusOf = (resolve: (event: HttpEvent) => Promise<unknown>, token: string) =>
    resolve(requestWith(token)).then(
      () => 200,
      (error: { status?: number }) => error.status,
    );
  /** a warm API container: the token table knows no token, and failures are not throttled (not what is tested here) */
  const container = (clock: { now: () => number }) =>
    makePrincipalResolver({
      adminToken: adminTokenFromEnvironment({ [boundEnvNames.adminTokenSecretArn]: secretsManager.arnOf('AdminToken') }, clock.now),
      leads: { getByTokenHash: async () => undefined },
      throttle: { check: () => undefined, failed: () => undefined },
    });

  it('the new token works in a warm container once REREAD_ON_MISMATCH_MS has passed since its read, and the old one stops working then', async () => {
    // Prepare
    secretsManager.put('AdminToken', ADMIN);
    const clock = containerClock();
    const resolve = container(clock);
    expect(await statusOf(resolve, ADMIN)).toBe(200);

    // Act
    secretsManager.put('AdminToken', NEW_ADMIN);
    const newTokenAtOnce = await statusOf(resolve, NEW_ADMIN);
    clock.at += REREAD_ON_MISMATCH_MS;
    const newTokenLater = await statusOf(resolve, NEW_ADMIN);
    const oldTokenThen = await statusOf(resolve, ADMIN);

    // Assess: at once the container still holds the old token (read under 30 s ago)
    expect([newTokenAtOnce, newTokenLater, oldTokenThen]).toEqual([401, 200, 401]);
  });

  it('the replaced token stops working within SECRET_TTL_MS even if nobody uses the new one', async () => {
    // Prepare
    secretsManager.put('AdminToken', ADMIN);
    const clock = containerClock();
    const resolve = container(clock);
    expect(await statusOf(resolve, ADMIN)).toBe(200);

    // Act
    secretsManager.put('AdminToken', NEW_ADMIN);
    clock.at += SECRET_TTL_MS - 1;
    const beforeTtl = await statusOf(resolve, ADMIN);
    clock.at += 1;
    const atTtl = await statusOf(resolve, ADMIN);

    // Assess
    expect([beforeTtl, atTtl]).toEqual([200, 401]);
  });

  it('wrong tokens have it read again at most once per REREAD_ON_MISMATCH_MS', async () => {
    // Prepare
    secretsManager.put('AdminToken', ADMIN);
    const clock = containerClock();
    const resolve = container(clock);
    await statusOf(resolve, ADMIN);
    const before = secretsManager.reads;

    // Act: 200 wrong tokens over two minutes
    for (let i = 0; i < 200; i += 1) {
      clock.at += 600;
      expect(await statusOf(resolve, `wrong-token-${i}`)).toBe(401);
    }

    // Assess
    expect(secretsManager.reads - before).toBe(120_000 / REREAD_ON_MISMATCH_MS);
  });
});
