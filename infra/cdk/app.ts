// infra/cdk: the CDK app (`npx cdk synth`). Environment-agnostic on purpose: nothing here looks anything up in an
// account, so synth needs neither AWS credentials nor Docker.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { emailSurveySettings, emailSurveySettingTargets, type EmailSurveySetting } from '../../functions/commons/email-survey-settings.js';
import { contextWholeNumber } from '../context-number.js';
import { logRetentionOf } from '../log-retention.js';
import { resourceTagsOf, tagEveryResource } from '../resource-tags.js';
import { RATE_LIMIT_SETTINGS, rateLimitSettingsOf, type RateLimitSettings } from '../rate-limits.js';
import { THROUGHPUT_BOUNDS, throughputSettingsOf, type ThroughputSetting, type ThroughputSettings } from '../throughput.js';
import { COMPREHEND_REGIONS, comprehendRegionRefusal } from './comprehend-regions.js';
import { FeedbackEdgeWafStack } from './edge-waf-stack.js';
import { FeedbackApiStack } from './stateless-stack.js';
import { FeedbackStatefulStack } from './stateful-stack.js';

export interface FeedbackApp {
  app: App;
  stateful: FeedbackStatefulStack;
  api: FeedbackApiStack;
  edgeWaf: FeedbackEdgeWafStack;
}

/** Builds the three stacks into `app` (tests pass their own App with context) and runs cdk-nag on them at synth. */
export function createFeedbackApp(app: App = new App()): FeedbackApp {
  refuseRegionWithoutComprehend(process.env.CDK_DEFAULT_REGION);
  const alarmEmails = alarmEmailContext(app);
  refuseWebhookUrlContexts(app);
  const edgeWebAclArn = webAclArnContext(app);
  const apiDomain = apiDomainContext(app);
  const edgeDomain = edgeDomainContext(app);
  const dnsReady = dnsReadyContext(app, { apiDomain, edgeDomain });
  const emailSurvey = emailSurveyContext(app);
  refuseLinksOffTheEdge(emailSurvey.EMAIL_SURVEY_BASE_URL, edgeDomain, dnsReady);
  const throughput = throughputContext(app);
  const rateLimits = rateLimitContext(app);
  const legacyIndexes = legacyIndexesContext(app);
  const monthlyBudgetUsd = monthlyBudgetContext(app);
  const resourceTags = resourceTagsOf(app.node.tryGetContext('resourceTags'));
  const logRetention = logRetentionOf(app.node.tryGetContext('logRetentionDays'));
  const stateful = new FeedbackStatefulStack(app, 'FeedbackStateful', {
    description: 'Feedback platform: tables, queues and secrets (the tables and the link-key and webhook secrets are retained)',
    legacyIndexes,
  });
  const api = new FeedbackApiStack(app, 'FeedbackApi', {
    description: 'Feedback platform: functions, HTTP API behind CloudFront, CX console, schedules and alarms',
    tables: stateful.tables,
    queues: stateful.queues,
    adminToken: stateful.adminToken,
    webhooks: { signing: stateful.alertWebhookSecret, urls: stateful.webhookUrls },
    linkSigningKeys: stateful.linkSigningKeys,
    emailSurveySettings: emailSurvey,
    throughput,
    rateLimits,
    legacyIndexes,
    alarmEmails,
    logRetention,
    ...(monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd } : {}),
    ...(edgeWebAclArn ? { edgeWebAclArn } : {}),
    ...(apiDomain ? { apiDomain } : {}),
    ...(edgeDomain ? { edgeDomain } : {}),
    dnsReady,
  });
  // abuse protection: the edge web ACL (CLOUDFRONT scope exists only in us-east-1, whatever region the rest is in)
  const edgeWaf = new FeedbackEdgeWafStack(app, 'FeedbackEdgeWaf', {
    description: 'Feedback platform: AWS WAF web ACL for the CloudFront distribution in front of the API (us-east-1)',
    env: { region: 'us-east-1' },
  });
  tagEveryResource(app, resourceTags);
  // cdk-nag v3 is a policy-validation plugin: any unacknowledged finding fails synth with a report.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, api, edgeWaf };
}

/**
 * a plain address: a local part of the characters an unquoted one may hold, and a domain of non-empty labels (no
 * quotes, brackets or display names, which SNS would refuse at deploy, after synth had passed)
 */
const EMAIL_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/**
 * `-c alarmEmail=oncall@example.com`, or several addresses separated by commas (a list in cdk.context.json): each is
 * subscribed to the alarm topic. Anything else stops synth, as a value that subscribed no one would leave the alarms
 * unheard with no warning.
 */
function alarmEmailContext(app: App): string[] {
  const value: unknown = app.node.tryGetContext('alarmEmail');
  if (value === undefined || value === '') return [];
  const addresses = typeof value === 'string' ? value.split(',').map((address) => address.trim()) : value;
  if (!Array.isArray(addresses) || addresses.length === 0) throw new Error(`context alarmEmail: expected an e-mail address, or several separated by commas, got ${JSON.stringify(value)}`);
  for (const address of addresses as unknown[]) {
    if (typeof address !== 'string' || !EMAIL_ADDRESS.test(address)) throw new Error(`context alarmEmail: ${JSON.stringify(address)} is not an e-mail address`);
  }
  if (new Set((addresses as string[]).map((address) => address.toLowerCase())).size !== addresses.length) throw new Error(`context alarmEmail: an address is given twice`);
  return addresses as string[];
}

/**
 * `-c monthlyBudgetUsd=50`: an AWS Budgets cost budget on the account, in whole US dollars, notifying the alarm topic
 * when the month's forecast passes it and when the spend reaches 80 % and 100 % of it; not given, no budget
 */
function monthlyBudgetContext(app: App): number | undefined {
  const value: unknown = app.node.tryGetContext('monthlyBudgetUsd');
  const dollars = contextWholeNumber(value);
  if (dollars === undefined) return undefined;
  if (!Number.isSafeInteger(dollars) || dollars < 1) throw new Error(`context monthlyBudgetUsd: expected whole US dollars a month, 1 or more, got ${JSON.stringify(value)}`);
  return dollars;
}

/**
 * The webhook URL contexts of earlier versions (`-c alertWebhookUrl=…`) put the URL, which may carry a token, in the
 * template and the function's environment. They are refused rather than ignored, pointing at the secret that replaces
 * them (never echoing the value).
 */
export const WEBHOOK_URL_CONTEXTS = { alertWebhookUrl: 'alert', followupWebhookUrl: 'followup', followupEscalationWebhookUrl: 'escalation' } as const;

function refuseWebhookUrlContexts(app: App): void {
  for (const [context, key] of Object.entries(WEBHOOK_URL_CONTEXTS)) {
    const value: unknown = app.node.tryGetContext(context);
    if (value === undefined || value === '') continue;
    throw new Error(
      `context ${context}: webhook URLs are no longer deploy parameters (they would sit in the template and the function's ` +
        `environment); put it in the WebhookUrls secret as "${key}": aws secretsmanager put-secret-value --secret-id ` +
        `<the FeedbackStateful output WebhookUrlsSecretName> --secret-string '{"${key}":"https://…"}' (see README, Alerts)`,
    );
  }
}

/**
 * the email survey settings given as context (`-c emailSurveyBaseUrl=https://feedback.example.com`), each checked
 * against the schema its function reads it with, as that function's environment value; absent ones keep the default
 */
function emailSurveyContext(app: App): Partial<Record<EmailSurveySetting, string>> {
  const settings: Partial<Record<EmailSurveySetting, string>> = {};
  for (const [setting, { context }] of Object.entries(emailSurveySettingTargets) as [EmailSurveySetting, { context: string }][]) {
    const value: unknown = app.node.tryGetContext(context);
    if (value === undefined || value === '') continue;
    const parsed = emailSurveySettings[setting].safeParse(value);
    if (!parsed.success) throw new Error(`context ${context}: ${parsed.error.issues.map((issue) => issue.message).join(', ')}`);
    // the schema lets the local runtime use http on a loopback host; a deployed link is https
    if (setting === 'EMAIL_SURVEY_BASE_URL' && !String(value).startsWith('https://')) throw new Error(`context ${context}: https only`);
    settings[setting] = String(value);
  }
  return settings;
}

/** the throughput settings (`-c processConcurrency=10`, see infra/throughput.ts), each checked against its AWS limit */
function throughputContext(app: App): ThroughputSettings {
  const context: Partial<Record<ThroughputSetting, unknown>> = {};
  for (const setting of Object.keys(THROUGHPUT_BOUNDS) as ThroughputSetting[]) context[setting] = app.node.tryGetContext(setting);
  return throughputSettingsOf(context);
}

/** the in-function rate limits (`-c rateLimitPerMinute=300`, see infra/rate-limits.ts), each a whole number ≥ 0 */
function rateLimitContext(app: App): RateLimitSettings {
  const context: Record<string, unknown> = {};
  for (const { context: name } of Object.values(RATE_LIMIT_SETTINGS)) context[name] = app.node.tryGetContext(name);
  return rateLimitSettingsOf(context);
}

/**
 * `-c legacyBySurveyIndex=true`: keep the responses' legacy `bySurvey` index, whose one partition per survey caps a
 * survey near 400 responses a second (docs/scale.md). Default false: a new deployment has no use for it. An upgrade
 * from the release before the sharded index needs it for one deploy and until the backfill is done (docs/upgrading.md),
 * since CloudFormation adds or deletes one index per table and update.
 */
function legacyIndexesContext(app: App): boolean {
  const value: unknown = app.node.tryGetContext('legacyBySurveyIndex');
  if (value === undefined || value === '' || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new Error(`context legacyBySurveyIndex: expected true or false, got ${JSON.stringify(value)}`);
}

/** `-c edgeWebAclArn=arn:aws:wafv2:us-east-1:…:global/webacl/…` (the FeedbackEdgeWaf stack's output) */
function webAclArnContext(app: App): string | undefined {
  const value: unknown = app.node.tryGetContext('edgeWebAclArn');
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(value)) {
    throw new Error('context edgeWebAclArn: expected the ARN of a CLOUDFRONT-scope web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)');
  }
  return value;
}

/**
 * The region the CDK CLI deploys to (CDK_DEFAULT_REGION, from the credentials' profile; unset offline), refused at
 * synth when Comprehend is not offered there; the API stack's CloudFormation rule refuses it again at deploy.
 */
function refuseRegionWithoutComprehend(region: string | undefined): void {
  if (region && !(COMPREHEND_REGIONS as readonly string[]).includes(region)) throw new Error(comprehendRegionRefusal(region));
}

/** a lower-case DNS name of two labels or more */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

interface DomainContext {
  domainKey: string;
  certificateKey: string;
  example: string;
  /** a pattern for the certificate's region in its ARN, and how to say it */
  certificateRegion: { pattern: string; said: string };
}

/** a domain and its ACM certificate, as two context values: both or neither */
function domainContext(app: App, { domainKey, certificateKey, example, certificateRegion }: DomainContext): { domainName: string; certificateArn: string } | undefined {
  const domainName: unknown = app.node.tryGetContext(domainKey);
  const certificateArn: unknown = app.node.tryGetContext(certificateKey);
  const given = (value: unknown) => value !== undefined && value !== '';
  if (!given(domainName) && !given(certificateArn)) return undefined;
  if (typeof domainName !== 'string' || !DNS_NAME.test(domainName)) {
    throw new Error(`context ${domainKey}: expected a lower-case DNS name such as ${example} (with ${certificateKey})`);
  }
  if (typeof certificateArn !== 'string' || !new RegExp(`^arn:aws[\\w-]*:acm:${certificateRegion.pattern}:\\d{12}:certificate\\/[\\w-]+$`).test(certificateArn)) {
    throw new Error(`context ${certificateKey}: expected the ARN of an ACM certificate for ${domainKey}, ${certificateRegion.said}`);
  }
  return { domainName, certificateArn };
}

/**
 * `-c apiDomainName=api.feedback.example.com -c apiCertificateArn=arn:aws:acm:<stack region>:…:certificate/…`: the
 * API's own (regional) domain; without them CloudFront reaches the API on its execute-api endpoint, which then stays
 * enabled
 */
const apiDomainContext = (app: App) =>
  domainContext(app, { domainKey: 'apiDomainName', certificateKey: 'apiCertificateArn', example: 'api.feedback.example.com', certificateRegion: { pattern: '[a-z0-9-]+', said: "in the API stack's region" } });

/**
 * `-c edgeDomainName=feedback.example.com -c edgeCertificateArn=arn:aws:acm:us-east-1:…:certificate/…`: the public
 * name of the API's edge distribution (its widget, email survey links, the console's calls and the ApiUrl output then
 * use it); CloudFront takes a certificate from us-east-1 only, whatever the stack's region
 */
const edgeDomainContext = (app: App) =>
  domainContext(app, { domainKey: 'edgeDomainName', certificateKey: 'edgeCertificateArn', example: 'feedback.example.com', certificateRegion: { pattern: 'us-east-1', said: 'in us-east-1 (CloudFront takes no other region)' } });

/**
 * `-c dnsReady=true`: the DNS records the ApiDomainTarget and EdgeDomainTarget outputs ask for exist, so the stack
 * may use the custom domains. A first deploy with a domain creates it without using it: CloudFront's origin and every
 * public URL then stay as they were, since the record can only be made from that deploy's output, and a name no DNS
 * answers yet would leave the API unreachable (the origin) or hand out URLs that fail (widget, console, email links)
 * until it does
 */
function dnsReadyContext(app: App, domains: { apiDomain?: unknown; edgeDomain?: unknown }): boolean {
  const value: unknown = app.node.tryGetContext('dnsReady');
  if (value === undefined || value === '' || value === false || value === 'false') return false;
  if (value !== true && value !== 'true') throw new Error('context dnsReady: expected true (the DNS records for apiDomainName and edgeDomainName exist) or false');
  if (!domains.apiDomain && !domains.edgeDomain) throw new Error('context dnsReady: no custom domain to use: it goes with -c apiDomainName or -c edgeDomainName');
  return true;
}

/**
 * A link must reach the API's edge distribution, which answers only its CloudFront name and its edgeDomainName: a
 * base URL naming any other host would mint links that fail on the certificate, or get CloudFront's 403
 */
function refuseLinksOffTheEdge(baseUrl: string | undefined, edgeDomain: { domainName: string } | undefined, dnsReady: boolean): void {
  if (baseUrl === undefined) return;
  const url = new URL(baseUrl);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') throw new Error('context emailSurveyBaseUrl: an origin only (https://host), with no path: the edge serves links at its root');
  if (edgeDomain && url.host === edgeDomain.domainName && !dnsReady) {
    throw new Error(`context emailSurveyBaseUrl: links may name ${edgeDomain.domainName} once its DNS record exists (-c dnsReady=true; links then use it without this value)`);
  }
  if (edgeDomain && url.host === edgeDomain.domainName) return;
  throw new Error(
    edgeDomain
      ? `context emailSurveyBaseUrl: links must name the edge's domain, https://${edgeDomain.domainName} (links use it without this value)`
      : 'context emailSurveyBaseUrl: links must reach the API\'s edge distribution, which answers no other domain: give it one with -c edgeDomainName and -c edgeCertificateArn (links then use it without this value), or leave links on its CloudFront URL',
  );
}

// run by the CDK CLI; importing this module (tests) only gets the factory
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  createFeedbackApp();
}
