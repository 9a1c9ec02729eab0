// unit: the webhook configuration (alert and follow-up webhooks): read at cold start locally, from the WebhookUrls and
// signing secrets in the cloud. Secrets Manager has no local engine, so its answers are played by aws-sdk-client-mock.
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '../../shared/aws/secrets-manager.js';
import { mockAws } from '../support/aws-mock.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alertWebhookFromEnvironment, WEBHOOK_URLS_TTL_MS } from '../../functions/commons/alert-webhook-config.js';
import { followupWebhooksFromEnvironment } from '../../functions/commons/followup-webhook-config.js';
import { SECRET_TTL_MS } from '../../functions/commons/secret.js';

const secretsManager = mockAws(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AlertWebhookSecret-AbCdEf';
const URL = 'https://hooks.example.com/feedback?token=t0ken';
const SECRET = 'a-signing-secret-of-some-length';
const URLS_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:WebhookUrls-AbCdEf';

beforeEach(() => {
  secretsManager.reset();
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
});

describe('alert webhook configuration', () => {
  it('is not configured without ALERT_WEBHOOK_URL (or with an empty one), and reads no secret', async () => {
    for (const env of [{}, { ALERT_WEBHOOK_URL: '' }, { ALERT_WEBHOOK_SECRET_ARN: ARN }, { ALERT_WEBHOOK_URL: '', ALERT_WEBHOOK_SECRET: SECRET }]) {
      const source = alertWebhookFromEnvironment(env);
      expect(await source.configured()).toBe(false);
      expect(await source()).toBeUndefined();
    }
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('locally: the URL and ALERT_WEBHOOK_SECRET', async () => {
    const source = alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET: SECRET });
    expect(await source.configured()).toBe(true);
    expect(await source()).toEqual({ url: URL, secret: SECRET });
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('in the cloud: reads the secret from Secrets Manager once, however many ask at once', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: SECRET });
    const source = alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET_ARN: ARN });

    // Act
    const [first, second] = await Promise.all([source(), source()]);
    const third = await source();

    // Assess
    expect(await source.configured()).toBe(true);
    expect(first).toEqual({ url: URL, secret: SECRET });
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('in the cloud: signs with a rotated secret once the cached read is SECRET_TTL_MS old, so receivers can drop the old one', async () => {
    // Prepare
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolvesOnce({ SecretString: SECRET }).resolves({ SecretString: 'the-rotated-signing-secret' });
    const source = alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET_ARN: ARN });

    // Act
    const before = (await source())?.secret;
    now += SECRET_TTL_MS - 1;
    const stillCached = (await source())?.secret;
    now += 1;
    const after = (await source())?.secret;

    // Assess
    expect([before, stillCached, after]).toEqual([SECRET, SECRET, 'the-rotated-signing-secret']);
    vi.restoreAllMocks();
  });

  it('fails at cold start on ALERT_WEBHOOK_URL in the environment when the WebhookUrls secret is bound: the URL lives only there', () => {
    expect(() => alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET_ARN: ARN, WEBHOOK_URLS_SECRET_ARN: URLS_ARN })).toThrow(
      /^missing or invalid environment: ALERT_WEBHOOK_URL \(with WEBHOOK_URLS_SECRET_ARN the URL is kept in that secret/,
    );
  });

  it('does not cache a failed read: the next run asks again', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'not yet', $metadata: {} }))
      .resolves({ SecretString: SECRET });
    const source = alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET_ARN: ARN });

    await expect(source()).rejects.toThrow('not yet');
    expect(await source()).toEqual({ url: URL, secret: SECRET });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses an empty or short secret from Secrets Manager rather than sign with it', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    const source = alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET_ARN: ARN });
    await expect(source()).rejects.toThrow(/empty or too short/);
  });

  it('fails at cold start on a URL that is not http(s), naming the variable but never echoing the value', () => {
    for (const url of ['ftp://hooks.example.com/t0ken', 'hooks.example.com/t0ken', 'https://user:t0ken@hooks.example.com/', 'javascript:t0ken']) {
      expect(() => alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: SECRET }), url).toThrow(
        /^missing or invalid environment: ALERT_WEBHOOK_URL \((?!.*t0ken)/,
      );
    }
  });

  it('fails at cold start on a URL with no secret to sign with: alerts are never sent unsigned', () => {
    expect(() => alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL })).toThrow(/ALERT_WEBHOOK_SECRET or ALERT_WEBHOOK_SECRET_ARN/);
    expect(() => alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET: 'short' })).toThrow(/ALERT_WEBHOOK_SECRET \(at least 16/);
    expect(() => alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET_ARN: 'not-an-arn' })).toThrow(/ALERT_WEBHOOK_SECRET_ARN/);
  });
});

describe('webhook URLs in the cloud (the WebhookUrls secret)', () => {
  const CLOUD = { ALERT_WEBHOOK_SECRET_ARN: ARN, WEBHOOK_URLS_SECRET_ARN: URLS_ARN };
  const urlsAre = (value: string) => secretsManager.on(GetSecretValueCommand, { SecretId: URLS_ARN }).resolves({ SecretString: value });
  beforeEach(() => {
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: SECRET });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads the alert URL from the secret and signs with the signing secret', async () => {
    // Prepare
    urlsAre(JSON.stringify({ alert: URL }));
    const source = alertWebhookFromEnvironment(CLOUD);

    // Act
    const configured = await source.configured();
    const webhook = await source();

    // Assess
    expect(configured).toBe(true);
    expect(webhook).toEqual({ url: URL, secret: SECRET });
  });

  it('is not configured while the secret is {} (as created), and then reads no signing secret', async () => {
    urlsAre('{}');
    const source = alertWebhookFromEnvironment(CLOUD);
    expect(await source.configured()).toBe(false);
    expect(await source()).toBeUndefined();
    expect(secretsManager.commandCalls(GetSecretValueCommand, { SecretId: ARN })).toHaveLength(0);
  });

  it('applies a changed secret without a redeploy, once the cached read is older than the TTL', async () => {
    // Prepare
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    secretsManager
      .on(GetSecretValueCommand, { SecretId: URLS_ARN })
      .resolvesOnce({ SecretString: '{}' })
      .resolves({ SecretString: JSON.stringify({ alert: URL }) });
    const source = alertWebhookFromEnvironment(CLOUD);

    // Act
    const before = await source.configured();
    now += WEBHOOK_URLS_TTL_MS - 1;
    const stillCached = await source.configured();
    now += 1;
    const after = await source.configured();

    // Assess
    expect([before, stillCached, after]).toEqual([false, false, true]);
    expect(secretsManager.commandCalls(GetSecretValueCommand, { SecretId: URLS_ARN })).toHaveLength(2);
  });

  it('reads the secret once for the follow-up and escalation webhooks of one function', async () => {
    urlsAre(JSON.stringify({ followup: 'https://hooks.example.com/followups', escalation: 'https://hooks.example.com/escalations?token=t0ken' }));
    const webhooks = followupWebhooksFromEnvironment({ FOLLOWUP_WEBHOOK_SECRET_ARN: ARN, WEBHOOK_URLS_SECRET_ARN: URLS_ARN });
    expect(await webhooks.followup()).toEqual({ url: 'https://hooks.example.com/followups', secret: SECRET });
    expect(await webhooks.escalation()).toEqual({ url: 'https://hooks.example.com/escalations?token=t0ken', secret: SECRET });
    expect(secretsManager.commandCalls(GetSecretValueCommand, { SecretId: URLS_ARN })).toHaveLength(1);
  });

  it.each([
    ['not JSON', 'https://hooks.example.com/t0ken', /expected JSON/],
    ['http', JSON.stringify({ alert: 'http://hooks.example.com/t0ken' }), /alert \(https only\)/],
    ['javascript:', JSON.stringify({ alert: 'javascript:t0ken' }), /alert \(/],
    ['a loopback address', JSON.stringify({ alert: 'https://127.0.0.1/t0ken' }), /alert \(a public host/],
    ['a private address', JSON.stringify({ alert: 'https://10.0.0.7/t0ken' }), /alert \(a public host/],
    ['the metadata address', JSON.stringify({ alert: 'https://169.254.169.254/t0ken' }), /alert \(a public host/],
    ['localhost', JSON.stringify({ alert: 'https://localhost:8443/t0ken' }), /alert \(a public host/],
    ['credentials', JSON.stringify({ alert: 'https://user:t0ken@hooks.example.com/' }), /alert \(no user:password@/],
    ['a misspelt key', JSON.stringify({ alerts: 'https://hooks.example.com/t0ken' }), /\(root\) \(.*alerts/],
  ])('refuses a secret value with %s, naming the key but never the value', async (_, value, message) => {
    // Prepare
    urlsAre(value);
    const source = alertWebhookFromEnvironment(CLOUD);

    // Act
    const error = await source.configured().then(() => undefined, (failure: Error) => failure);

    // Assess
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('t0ken');
    await expect(source()).rejects.toThrow(/^webhook URLs secret: /);
  });

  it('fails at cold start with the WebhookUrls secret but no signing secret: nothing is ever sent unsigned', () => {
    expect(() => alertWebhookFromEnvironment({ WEBHOOK_URLS_SECRET_ARN: URLS_ARN })).toThrow(/ALERT_WEBHOOK_SECRET or ALERT_WEBHOOK_SECRET_ARN \(WEBHOOK_URLS_SECRET_ARN is set/);
    expect(() => alertWebhookFromEnvironment({ WEBHOOK_URLS_SECRET_ARN: 'WebhookUrls', ALERT_WEBHOOK_SECRET_ARN: ARN })).toThrow(/WEBHOOK_URLS_SECRET_ARN \(a Secrets Manager secret ARN/);
  });
});
