// configuration: where alerts are POSTed and what signs them. The URL comes from ALERT_WEBHOOK_URL (unset or empty:
// no webhook, nothing is sent). The signing secret: ALERT_WEBHOOK_SECRET locally; in the cloud Secrets Manager
// (ALERT_WEBHOOK_SECRET_ARN), read on first use and kept for the life of the container. Both are checked at cold
// start: a malformed URL, or a URL with no secret to sign with, fails loudly naming the variable.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { webhookUrlSchema, type AlertWebhook } from '../../shared/alerts/webhook.js';
import { readEnv } from './env.js';

export const ALERT_WEBHOOK_URL_ENV = 'ALERT_WEBHOOK_URL';
export const ALERT_WEBHOOK_SECRET_ENV = 'ALERT_WEBHOOK_SECRET';
export const ALERT_WEBHOOK_SECRET_ARN_ENV = 'ALERT_WEBHOOK_SECRET_ARN';
export const MIN_SECRET_LENGTH = 16;

/** the webhook, or undefined when none is configured; the secret is fetched at most once per cold start */
export type AlertWebhookSource = (() => Promise<AlertWebhook | undefined>) & {
  /** whether a URL is configured (known at cold start, without I/O): new alerts are then queued for delivery */
  readonly configured: boolean;
};

const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);

const webhookEnvShape = {
  [ALERT_WEBHOOK_URL_ENV]: z.preprocess(blankAsUnset, webhookUrlSchema.optional()),
  [ALERT_WEBHOOK_SECRET_ENV]: z.preprocess(blankAsUnset, z.string().min(MIN_SECRET_LENGTH, `at least ${MIN_SECRET_LENGTH} characters`).optional()),
  [ALERT_WEBHOOK_SECRET_ARN_ENV]: z.preprocess(blankAsUnset, z.string().startsWith('arn:', 'a Secrets Manager secret ARN').optional()),
};

export function alertWebhookFromEnvironment(env: NodeJS.ProcessEnv = process.env): AlertWebhookSource {
  const parsed = readEnv(webhookEnvShape, env);
  const url = parsed[ALERT_WEBHOOK_URL_ENV];
  const localSecret = parsed[ALERT_WEBHOOK_SECRET_ENV];
  const secretArn = parsed[ALERT_WEBHOOK_SECRET_ARN_ENV];

  if (!url) return Object.assign(async () => undefined, { configured: false });
  if (localSecret) return Object.assign(async () => ({ url, secret: localSecret }), { configured: true });
  if (!secretArn) {
    throw new Error(
      `missing or invalid environment: ${ALERT_WEBHOOK_SECRET_ENV} or ${ALERT_WEBHOOK_SECRET_ARN_ENV} ` +
        `(${ALERT_WEBHOOK_URL_ENV} is set, and alerts are never sent unsigned)`,
    );
  }
  let cached: Promise<AlertWebhook> | undefined;
  const source = () => {
    cached ??= new SecretsManagerClient({})
      .send(new GetSecretValueCommand({ SecretId: secretArn }))
      .then(({ SecretString }) => {
        if (!SecretString || SecretString.length < MIN_SECRET_LENGTH) throw new Error('alert webhook signing secret is empty or too short');
        return { url, secret: SecretString };
      })
      .catch((error: unknown) => {
        // not cached: the next run asks again
        cached = undefined;
        throw error;
      });
    return cached;
  };
  return Object.assign(source, { configured: true });
}
