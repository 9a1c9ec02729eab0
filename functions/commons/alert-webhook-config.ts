// configuration: where signed webhooks (drop alerts, follow-up notifications) are POSTed and what signs them.
// URLs: locally ALERT_WEBHOOK_URL, FOLLOWUP_WEBHOOK_URL, FOLLOWUP_ESCALATION_WEBHOOK_URL (unset or empty: that webhook
// is not configured). In the cloud a URL may carry a token, so it lives in the WebhookUrls Secrets Manager secret
// (WEBHOOK_URLS_SECRET_ARN: JSON {"alert"?, "followup"?, "escalation"?}, https to a public host), never in the
// environment; it is re-read after WEBHOOK_URLS_TTL_MS, so `aws secretsmanager put-secret-value` applies within a
// minute without a deploy. Signing secret: ALERT_WEBHOOK_SECRET locally; in the cloud Secrets Manager
// (ALERT_WEBHOOK_SECRET_ARN), read on first use and again every SECRET_TTL_MS, so that after a rotation every sender
// signs with the new secret within it and receivers can drop the old one. What can be checked at cold
// start is: a malformed URL, or a webhook that could be configured with no secret to sign with, fails loudly naming
// the variable; a malformed WebhookUrls value fails the run that reads it, naming the key but never the value.
import * as z from '../../shared/validation.js';
import { boundEnvNames } from '../../infra/topology.js';
import { webhookUrlSchema, type AlertWebhook } from '../../shared/alerts/webhook.js';
import { readEnv } from './env.js';
import { cachedSecret, SECRET_TTL_MS } from './secret.js';

export const ALERT_WEBHOOK_URL_ENV = boundEnvNames.alertWebhookUrl;
export const ALERT_WEBHOOK_SECRET_ENV = 'ALERT_WEBHOOK_SECRET';
export const ALERT_WEBHOOK_SECRET_ARN_ENV = boundEnvNames.alertWebhookSecretArn;
export const WEBHOOK_URLS_SECRET_ARN_ENV = 'WEBHOOK_URLS_SECRET_ARN';
export const MIN_SECRET_LENGTH = 16;
/** how long a read of the WebhookUrls secret is used before it is read again */
export const WEBHOOK_URLS_TTL_MS = 60_000;

/** the keys of the WebhookUrls secret */
export type WebhookKind = 'alert' | 'followup' | 'escalation';

/** the webhook, or undefined when none is configured */
export type AlertWebhookSource = (() => Promise<AlertWebhook | undefined>) & {
  /** whether a URL is configured (without reading the signing secret): new alerts are then queued for delivery */
  readonly configured: () => Promise<boolean>;
};

/** an optional variable, where an empty value counts as unset */
const blankAsUnset = <T extends z.core.SomeType>(schema: T) =>
  z.pipe(
    z.transform((value: unknown) => (value === '' ? undefined : value)),
    z.optional(schema),
  );

const secretArnSchema = z.string().check(z.startsWith('arn:', 'a Secrets Manager secret ARN'));

const PRIVATE_IPV4 = [/^0\./, /^10\./, /^127\./, /^169\.254\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];

/**
 * a deployed webhook URL: https only, and not to a loopback, private or link-local address written as an IP literal
 * or `localhost` (names are not resolved here; a function outside a VPC reaches public addresses only anyway)
 */
export const deployedWebhookUrlSchema = webhookUrlSchema.check(
  z.refine((value) => URL.parse(value)?.protocol === 'https:', 'https only'),
  z.refine((value) => {
    const host = URL.parse(value)?.hostname ?? '';
    return !(host === 'localhost' || host.endsWith('.localhost') || host.startsWith('[') || PRIVATE_IPV4.some((range) => range.test(host)));
  }, 'a public host (no localhost, private, loopback or IPv6 literal address)'),
);

/** the WebhookUrls secret's JSON; an unknown key (a typo) is refused rather than silently leaving a webhook unset */
export const webhookUrlsSchema = z.strictObject({
  alert: z.optional(deployedWebhookUrlSchema),
  followup: z.optional(deployedWebhookUrlSchema),
  escalation: z.optional(deployedWebhookUrlSchema),
});
export type WebhookUrls = z.infer<typeof webhookUrlsSchema>;

function parseWebhookUrls(text: string | undefined): WebhookUrls {
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch {
    throw new Error('webhook URLs secret: expected JSON such as {"alert":"https://…"} ({} for none)');
  }
  const parsed = webhookUrlsSchema.safeParse(json);
  // the values are never echoed: a URL may carry a token
  if (!parsed.success) throw new Error(`webhook URLs secret: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} (${issue.message})`).join(', ')}`);
  return parsed.data;
}

/** the environment variable names of one webhook */
export interface WebhookEnvNames {
  /** its key in the WebhookUrls secret (cloud) */
  kind: WebhookKind;
  /** its URL's variable (local) */
  url: string;
  secret: string;
  secretArn: string;
  /** what is sent, for the error message ("alerts") */
  what: string;
}

const ALERT_NAMES: WebhookEnvNames = {
  kind: 'alert',
  url: ALERT_WEBHOOK_URL_ENV,
  secret: ALERT_WEBHOOK_SECRET_ENV,
  secretArn: ALERT_WEBHOOK_SECRET_ARN_ENV,
  what: 'alerts',
};

export const alertWebhookFromEnvironment = (env: NodeJS.ProcessEnv = process.env): AlertWebhookSource => webhooksFromEnvironment({ alert: ALERT_NAMES }, env).alert;

/**
 * signed webhooks, each configured by a URL (local: its variable; cloud: its key in the WebhookUrls secret, one read
 * shared by all of them) and a signing secret (local) or secret ARN (cloud)
 */
export function webhooksFromEnvironment<K extends string>(webhooks: Record<K, WebhookEnvNames>, env: NodeJS.ProcessEnv = process.env): Record<K, AlertWebhookSource> {
  const { [WEBHOOK_URLS_SECRET_ARN_ENV]: urlsArn } = readEnv(
    { [WEBHOOK_URLS_SECRET_ARN_ENV]: blankAsUnset(secretArnSchema) },
    env,
  ) as Record<string, string | undefined>;
  const urls = urlsArn ? cachedSecret(urlsArn, parseWebhookUrls, { ttlMs: WEBHOOK_URLS_TTL_MS }) : undefined;
  const sources = {} as Record<K, AlertWebhookSource>;
  for (const [key, names] of Object.entries(webhooks) as [K, WebhookEnvNames][]) sources[key] = webhookFrom(names, env, urls);
  return sources;
}

function webhookFrom(names: WebhookEnvNames, env: NodeJS.ProcessEnv, urls: (() => Promise<WebhookUrls>) | undefined): AlertWebhookSource {
  const parsed = readEnv(
    {
      [names.url]: blankAsUnset(webhookUrlSchema),
      [names.secret]: blankAsUnset(z.string().check(z.minLength(MIN_SECRET_LENGTH, `at least ${MIN_SECRET_LENGTH} characters`))),
      [names.secretArn]: blankAsUnset(secretArnSchema),
    },
    env,
  ) as Record<string, string | undefined>;
  const envUrl = parsed[names.url];
  const localSecret = parsed[names.secret];
  const secretArn = parsed[names.secretArn];

  // cloud: the URL comes from the WebhookUrls secret, and only from there
  if (urls) {
    if (envUrl) throw new Error(`missing or invalid environment: ${names.url} (with ${WEBHOOK_URLS_SECRET_ARN_ENV} the URL is kept in that secret, never in the environment)`);
    const signing = signingSecretOf(names, localSecret, secretArn, `${WEBHOOK_URLS_SECRET_ARN_ENV} is set`);
    const urlOf = async () => (await urls())[names.kind];
    return Object.assign(
      async () => {
        const url = await urlOf();
        return url ? { url, secret: await signing() } : undefined;
      },
      { configured: async () => (await urlOf()) !== undefined },
    );
  }

  if (!envUrl) return Object.assign(async () => undefined, { configured: async () => false });
  const signing = signingSecretOf(names, localSecret, secretArn, `${names.url} is set`);
  return Object.assign(async () => ({ url: envUrl, secret: await signing() }), { configured: async () => true });
}

/** the signing secret (local value, or Secrets Manager, read again every SECRET_TTL_MS); fails at cold start without one */
function signingSecretOf(names: WebhookEnvNames, localSecret: string | undefined, secretArn: string | undefined, why: string): () => Promise<string> {
  if (localSecret) return async () => localSecret;
  if (!secretArn) {
    throw new Error(`missing or invalid environment: ${names.secret} or ${names.secretArn} (${why}, and ${names.what} are never sent unsigned)`);
  }
  return cachedSecret(secretArn, (SecretString) => {
    if (!SecretString || SecretString.length < MIN_SECRET_LENGTH) throw new Error(`${names.what} webhook signing secret is empty or too short`);
    return SecretString;
  }, { ttlMs: SECRET_TTL_MS });
}
