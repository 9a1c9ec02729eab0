// configuration: where alerts are POSTed and what signs them. The URL comes from ALERT_WEBHOOK_URL (unset or empty:
// no webhook, nothing is sent). The signing secret: ALERT_WEBHOOK_SECRET locally; in the cloud Secrets Manager
// (ALERT_WEBHOOK_SECRET_ARN), read on first use and kept for the life of the container. Both are checked at cold
// start: a malformed URL, or a URL with no secret to sign with, fails loudly naming the variable.
import * as z from 'zod';
import { boundEnvNames } from '../../infra/topology.js';
import { webhookUrlSchema, type AlertWebhook } from '../../shared/alerts/webhook.js';
import { readEnv } from './env.js';
import { cachedSecret } from './secret.js';

export const ALERT_WEBHOOK_URL_ENV = boundEnvNames.alertWebhookUrl;
export const ALERT_WEBHOOK_SECRET_ENV = 'ALERT_WEBHOOK_SECRET';
export const ALERT_WEBHOOK_SECRET_ARN_ENV = boundEnvNames.alertWebhookSecretArn;
export const MIN_SECRET_LENGTH = 16;

/** the webhook, or undefined when none is configured; the secret is fetched at most once per cold start */
export type AlertWebhookSource = (() => Promise<AlertWebhook | undefined>) & {
  /** whether a URL is configured (known at cold start, without I/O): new alerts are then queued for delivery */
  readonly configured: boolean;
};

const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);

/** the environment variable names of one webhook */
export interface WebhookEnvNames {
  url: string;
  secret: string;
  secretArn: string;
  /** what is sent, for the error message ("alerts") */
  what: string;
}

const ALERT_NAMES: WebhookEnvNames = {
  url: ALERT_WEBHOOK_URL_ENV,
  secret: ALERT_WEBHOOK_SECRET_ENV,
  secretArn: ALERT_WEBHOOK_SECRET_ARN_ENV,
  what: 'alerts',
};

export const alertWebhookFromEnvironment = (env: NodeJS.ProcessEnv = process.env): AlertWebhookSource => webhookFromEnvironment(ALERT_NAMES, env);

/** any signed webhook configured by a URL and a signing secret (local) or secret ARN (cloud), under `names` */
export function webhookFromEnvironment(names: WebhookEnvNames, env: NodeJS.ProcessEnv = process.env): AlertWebhookSource {
  const parsed = readEnv(
    {
      [names.url]: z.preprocess(blankAsUnset, webhookUrlSchema.optional()),
      [names.secret]: z.preprocess(blankAsUnset, z.string().min(MIN_SECRET_LENGTH, `at least ${MIN_SECRET_LENGTH} characters`).optional()),
      [names.secretArn]: z.preprocess(blankAsUnset, z.string().startsWith('arn:', 'a Secrets Manager secret ARN').optional()),
    },
    env,
  ) as Record<string, string | undefined>;
  const url = parsed[names.url];
  const localSecret = parsed[names.secret];
  const secretArn = parsed[names.secretArn];

  if (!url) return Object.assign(async () => undefined, { configured: false });
  if (localSecret) return Object.assign(async () => ({ url, secret: localSecret }), { configured: true });
  if (!secretArn) {
    throw new Error(
      `missing or invalid environment: ${names.secret} or ${names.secretArn} ` +
        `(${names.url} is set, and ${names.what} are never sent unsigned)`,
    );
  }
  const source = cachedSecret<AlertWebhook>(secretArn, (SecretString) => {
    if (!SecretString || SecretString.length < MIN_SECRET_LENGTH) throw new Error(`${names.what} webhook signing secret is empty or too short`);
    return { url, secret: SecretString };
  });
  return Object.assign(source, { configured: true });
}
