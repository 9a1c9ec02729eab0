// unit: the alert webhook configuration read at cold start. Secrets Manager has no local engine, so its answers are
// played by aws-sdk-client-mock.
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { alertWebhookFromEnvironment } from '../../functions/commons/alert-webhook-config.js';

const secretsManager = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AlertWebhookSecret-AbCdEf';
const URL = 'https://hooks.example.com/feedback?token=t0ken';
const SECRET = 'a-signing-secret-of-some-length';

beforeEach(() => {
  secretsManager.reset();
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
});

describe('alert webhook configuration', () => {
  it('is not configured without ALERT_WEBHOOK_URL (or with an empty one), and reads no secret', async () => {
    for (const env of [{}, { ALERT_WEBHOOK_URL: '' }, { ALERT_WEBHOOK_SECRET_ARN: ARN }, { ALERT_WEBHOOK_URL: '', ALERT_WEBHOOK_SECRET: SECRET }]) {
      const source = alertWebhookFromEnvironment(env);
      expect(source.configured).toBe(false);
      expect(await source()).toBeUndefined();
    }
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('locally: the URL and ALERT_WEBHOOK_SECRET', async () => {
    const source = alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET: SECRET });
    expect(source.configured).toBe(true);
    expect(await source()).toEqual({ url: URL, secret: SECRET });
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('in the cloud: reads the secret from Secrets Manager once per cold start', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: SECRET });
    const source = alertWebhookFromEnvironment({ ALERT_WEBHOOK_URL: URL, ALERT_WEBHOOK_SECRET_ARN: ARN });

    // Act
    const [first, second] = await Promise.all([source(), source()]);
    const third = await source();

    // Assess
    expect(source.configured).toBe(true);
    expect(first).toEqual({ url: URL, secret: SECRET });
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
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
