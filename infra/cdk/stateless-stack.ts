// infra/cdk: the code side: functions, HTTP API, queue consumers, schedules and alarms, all generated from
// infra/topology.ts. Holds no data, so it can be replaced freely; the tables, queues and secret come in as props.
import { createHash } from 'node:crypto';
import { Aws, CfnOutput, CfnRule, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { ApiMapping, DomainName, HttpApi, HttpMethod, LogGroupLogDestination, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Construct } from 'constructs';
import { emailSurveySettingTargets, type EmailSurveySetting } from '../../functions/commons/email-survey-settings.js';
import { ORIGIN_VERIFY_HEADER } from '../../functions/commons/origin-verify.js';
import { DEFAULT_LOG_RETENTION } from '../log-retention.js';
import { rateLimitEnvironmentOf, type RateLimitSettings } from '../rate-limits.js';
import { THROUGHPUT_DEFAULTS, type ThroughputSettings } from '../throughput.js';
import { boundEnvNames, topology, type Access, type FunctionDeclaration, type FunctionName, type QueueName, type TableName } from '../topology.js';
import { ConsoleHosting } from './console-hosting.js';
import { FeedbackFunction } from './feedback-function.js';
import { acknowledge, acknowledgeInvokeQualifiers } from './nag-suppressions.js';
import { VIEWER_ADDRESS_FUNCTION_CODE, VIEWER_ADDRESS_HEADER } from './viewer-address.js';
import { globalCloudFrontName } from './global-names.js';
import { COMPREHEND_REGIONS, comprehendRegionRefusal } from './comprehend-regions.js';

/**
 * How long CloudFront waits for the HTTP API's answer: longer than API Gateway's integration timeout (30 s, the
 * maximum), so a slow route is answered by API Gateway's 503 rather than CloudFront's own 504 page, and CloudFront,
 * which retries a GET whose origin timed out, never invokes a slow function again for the same request.
 */
export const EDGE_ORIGIN_READ_TIMEOUT = Duration.seconds(35);
/**
 * every status CloudFront keeps in its cache by default for 10 s when it is an error (some even with the origin's
 * no-store): with caching disabled the cache key is the path, so one caller's 403 or 400 would answer the next
 * caller of that path, and API Gateway's own 500s, 503s and 504s carry no Cache-Control at all
 */
export const UNCACHED_API_ERRORS = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504] as const;
/** the widget's loader and the UI it fetches beside itself (web-widget/, console-hosting.ts deploys both) */
export const WIDGET_FILES = ['/widget.js', '/widget-full.js'] as const;

export interface FeedbackApiStackProps extends StackProps {
  tables: Record<TableName, ITable>;
  queues: Record<QueueName, { queue: IQueue; deadLetterQueue: IQueue }>;
  adminToken: ISecret;
  /** for functions declared `alertWebhook` or `followupWebhook`: the signing secret, and the WebhookUrls secret */
  webhooks: { signing: ISecret; urls: ISecret };
  /** for functions declared `linkKeys` */
  linkSigningKeys: ISecret;
  /** email survey settings (context values emailSurvey*), each set on the function that reads it */
  emailSurveySettings?: Partial<Record<EmailSurveySetting, string>>;
  /** the throughput settings (context values apiThrottleRate, processConcurrency, …; infra/throughput.ts); absent: the defaults */
  throughput?: ThroughputSettings;
  /** the in-function rate limits given (context values rateLimitPerMinute, …; infra/rate-limits.ts); absent: the functions' defaults */
  rateLimits?: RateLimitSettings;
  /** the tables carry their legacy indexes (context `legacyBySurveyIndex`, default false): as the stateful stack was given */
  legacyIndexes?: boolean;
  /** how long every log group keeps its lines (context value `logRetentionDays`); absent: a month */
  logRetention?: RetentionDays;
  /** each subscribed to the alarm topic (context value `alarmEmail`: one address, or several separated by commas) */
  alarmEmails?: readonly string[];
  /** a monthly cost budget on the account, in whole US dollars, notifying the alarm topic (context value `monthlyBudgetUsd`) */
  monthlyBudgetUsd?: number;
  /** abuse protection: the CLOUDFRONT-scope web ACL (FeedbackEdgeWaf stack, us-east-1) for the edge distribution */
  edgeWebAclArn?: string;
  /**
   * a custom domain for the HTTP API (contexts `apiDomainName`, `apiCertificateArn`: a regional ACM certificate in the
   * stack's region): once `dnsReady`, CloudFront reaches the API there and the default execute-api endpoint is disabled
   */
  apiDomain?: { domainName: string; certificateArn: string };
  /**
   * the public name of the API's edge distribution (contexts `edgeDomainName`, `edgeCertificateArn`: an ACM certificate
   * in us-east-1): the distribution answers it; once `dnsReady`, the widget, email survey links, the console's calls
   * and ApiUrl use it instead of the CloudFront name
   */
  edgeDomain?: { domainName: string; certificateArn: string };
  /** the DNS records for the custom domains exist (context `dnsReady`): use them; until then they are only created */
  dnsReady?: boolean;
}

const pascal = (name: string) => name.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());

const entries = <K extends string, V>(record: Partial<Record<K, V>>) => Object.entries(record) as [K, V][];

/** the on-call runbook each alarm's description points to, and its sections (their headings' anchors) */
export const RUNBOOK = 'docs/operations.md';
export const RUNBOOK_SECTIONS = {
  deadLetterQueue: 'a-dlq-alarm-messages-that-failed-5-times',
  functionErrors: 'a-function-errors-alarm',
  apiServerErrors: 'an-api-5xx-alarm',
  queueBacklog: 'a-queue-backlog-alarm-messages-waiting-an-hour',
  budget: 'a-budget-alert',
} as const;

/**
 * When the budget's notifications fire, as a percentage of `monthlyBudgetUsd`: the month's forecast passing it, which
 * warns while there is still time (once AWS has about five weeks of the account's costs to forecast from), then the
 * actual spend at 80 % and at 100 %
 */
export const BUDGET_NOTIFICATIONS = [
  { notificationType: 'FORECASTED', threshold: 100 },
  { notificationType: 'ACTUAL', threshold: 80 },
  { notificationType: 'ACTUAL', threshold: 100 },
] as const;

/**
 * The budget's name: what its notifications quote, so it says where to turn. A name is unique in an account, so it
 * holds the Region (one deployment per Region may each have one); and CloudFormation replaces a budget whose
 * notifications change, which it refuses to do under the same name, so it holds a digest of them. At most 100
 * characters, with no colon or backslash (AWS Budgets' rule).
 */
export function budgetNameOf(stackName: string, region: string, notifications: readonly { notificationType: string; threshold: number }[]): string {
  const digest = createHash('sha256').update(JSON.stringify(notifications)).digest('hex').slice(0, 6);
  return `${stackName}-${region} monthly cost ${digest} - runbook ${RUNBOOK}#${RUNBOOK_SECTIONS.budget}`;
}

/**
 * How old a queue's oldest message may grow before its alarm fires. A healthy consumer keeps it to seconds, and a
 * flood within the throughput settings to minutes; a consumer that takes nothing (its event source disabled, the
 * function throttled by the account's concurrency) raises no error, and the queue drops a message 14 days after it
 * was sent, acknowledged responses included. An hour leaves nearly all of those days to act, and is longer than a
 * failing message's five receives take to bring it to the DLQ (5 × a 240 s visibility timeout), which the DLQ alarm tells.
 */
export const QUEUE_BACKLOG_ALARM_SECONDS = 3600;

/** AWS's guidance for SQS event sources, so a slow batch is not redelivered while it is still being processed */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export class FeedbackApiStack extends Stack {
  readonly functions = {} as Record<FunctionName, FeedbackFunction>;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** the HTTP API's access log: a line per request (its id, route, status, integration error), never a body */
  readonly accessLogs: LogGroup;
  readonly alarmTopic: Topic;
  /** CX console: its static hosting (S3 + CloudFront) */
  readonly console: ConsoleHosting;
  readonly edge: Distribution;
  /** https://<edge distribution domain>: the one public URL of the API (widgets, the console, email links) */
  readonly edgeUrl: string;
  /** what CloudFront adds as the x-origin-verify header; the HTTP functions refuse requests without it */
  readonly originVerifySecret: Secret;
  /** the HTTP API's custom domain, when one is configured */
  readonly apiDomain?: DomainName;

  constructor(scope: Construct, id: string, props: FeedbackApiStackProps) {
    super(scope, id, props);
    const throughput = props.throughput ?? THROUGHPUT_DEFAULTS;

    for (const [name, declaration] of entries<FunctionName, FunctionDeclaration>(topology.functions)) {
      const fn = new FeedbackFunction(this, pascal(name), { name, declaration, logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION });
      for (const [table, access] of entries<TableName, Access>(declaration.tables ?? {})) {
        fn.bindTable(table, props.tables[table], access, props.legacyIndexes ?? false);
      }
      for (const queue of declaration.sendsTo ?? []) fn.bindQueue(queue, props.queues[queue].queue);
      if (declaration.adminToken) fn.bindAdminToken(props.adminToken);
      if (declaration.sentiment) fn.bindComprehend(throughput.comprehendCallsPerSecond);
      if (declaration.alertWebhook) fn.bindAlertWebhook(props.webhooks.signing, props.webhooks.urls);
      if (declaration.followupWebhook) fn.bindFollowupWebhooks(props.webhooks.signing, props.webhooks.urls);
      if (declaration.linkKeys) fn.bindLinkKeys(props.linkSigningKeys);
      for (const [variable, value] of Object.entries(rateLimitEnvironmentOf(declaration, props.rateLimits ?? {}))) fn.function.addEnvironment(variable, value);
      this.functions[name] = fn;
    }
    for (const [setting, value] of entries<EmailSurveySetting, string>(props.emailSurveySettings ?? {})) {
      this.functions[emailSurveySettingTargets[setting].function].function.addEnvironment(setting, value);
    }

    // a region without Comprehend would leave every comment pending for ever: CloudFormation refuses it before anything
    new CfnRule(this, 'ComprehendInThisRegion', {
      assertions: [{ assert: Fn.conditionContains([...COMPREHEND_REGIONS], Aws.REGION), assertDescription: comprehendRegionRefusal('this region') }],
    });
    ({ api: this.api, stage: this.stage, accessLogs: this.accessLogs } = this.httpApi(props, throughput));
    if (props.apiDomain) this.apiDomain = this.customDomain(props.apiDomain);
    this.originVerifySecret = this.originVerify();
    this.edge = this.edgeDistribution(props);
    this.edgeUrl = `https://${(props.dnsReady ? props.edgeDomain?.domainName : undefined) ?? this.edge.distributionDomainName}`;
    // minted email links point at the edge (-c emailSurveyBaseUrl may only name it again: app.ts)
    if (!props.emailSurveySettings?.EMAIL_SURVEY_BASE_URL) {
      this.functions[emailSurveySettingTargets.EMAIL_SURVEY_BASE_URL.function].function.addEnvironment('EMAIL_SURVEY_BASE_URL', this.edgeUrl);
    }
    this.eventSources(props, throughput);
    this.schedules();
    this.alarmTopic = this.alarms(props);

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the feedback API: CloudFront (and AWS WAF with -c edgeWebAclArn) in front of the HTTP API, which refuses requests that go around it',
      value: `${this.edgeUrl}/`,
    });
    if (this.apiDomain && props.apiDomain) {
      new CfnOutput(this, 'ApiDomainTarget', {
        // the literal name: an output's description cannot hold a reference
        description: props.dnsReady
          ? `Point a CNAME (or alias) record for ${props.apiDomain.domainName} at this: CloudFront reaches the API there`
          : `Point a CNAME (or alias) record for ${props.apiDomain.domainName} at this, then deploy again with -c dnsReady=true: CloudFront then reaches the API there and the execute-api endpoint is switched off`,
        value: this.apiDomain.regionalDomainName,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Subscribe here for the alarms (DLQ depth, queue backlog, function errors, API 5xx) and the monthlyBudgetUsd warnings (or deploy with -c alarmEmail=you@example.com)',
      value: this.alarmTopic.topicArn,
    });

    // CX console: the static site, calling this API; the functions it calls allow its origin (CORS)
    this.console = new ConsoleHosting(this, 'Console', { apiEndpoint: this.edgeUrl, logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION });
    for (const [name, declaration] of entries<FunctionName, FunctionDeclaration>(topology.functions)) {
      if (declaration.consoleCors) this.functions[name].function.addEnvironment(boundEnvNames.consoleOrigins, this.console.origin);
      if (declaration.consoleLinks) this.functions[name].function.addEnvironment(boundEnvNames.consoleUrl, `${this.console.origin}/`);
    }
    new CfnOutput(this, 'ConsoleUrl', { description: 'The CX console (sign in with the admin token or a CX lead token)', value: `${this.console.origin}/` });
    this.serveWidgetAtTheEdge();
    new CfnOutput(this, 'WidgetUrl', {
      description: 'The widget loader, for <script src>: served from the API URL, which the widget then calls (no data-endpoint needed)',
      value: `${this.edgeUrl}/widget.js`,
    });
  }

  private httpApi(props: FeedbackApiStackProps, throughput: ThroughputSettings): { api: HttpApi; stage: HttpStage; accessLogs: LogGroup } {
    // No API-level CORS: the topology routes OPTIONS to the ingest function, which answers preflights itself.
    const api = new HttpApi(this, 'HttpApi', {
      description: 'Feedback platform: response ingestion and admin API',
      // the stage is added below so it can carry access logging
      createDefaultStage: false,
      // API Gateway can only turn the default endpoint off when a custom domain serves the API instead
      // (and only once its DNS record exists: until then CloudFront reaches the API on the default endpoint)
      disableExecuteApiEndpoint: !!props.apiDomain && props.dnsReady === true,
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // abuse protection and capacity: a ceiling whatever the source (the per-IP limit is the WAF's); API Gateway applies
      // its default route throttle to each route, as it reads (docs/security-and-privacy.md)
      throttle: { rateLimit: throughput.apiThrottleRate, burstLimit: throughput.apiThrottleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // HTTP API fields as JSON for Logs Insights (the default line format uses REST API fields); request bodies
        // are never logged. `ip` is the address API Gateway saw: CloudFront's edge server, since every request comes
        // through it. The viewer's address travels only in the header the edge writes (viewer-address.ts), which the
        // functions' limits key on and no access-log variable reaches: WAF's sampled requests show it
        // (docs/security-and-privacy.md).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of topology.routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, this.functions[route.function].function);
        integrations.set(route.function, integration);
      }
      const declaration: FunctionDeclaration = topology.functions[route.function];
      for (const httpRoute of api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration })) {
        acknowledge(
          httpRoute,
          route.method === 'OPTIONS' && declaration.consoleCors
            ? 'consolePreflightRoute'
            : declaration.adminToken
              ? 'bearerTokenRoute'
              : route.path.startsWith('/r/')
                ? 'signedLinkRoute'
                : route.path.startsWith('/s/')
                  ? 'emailSurveyLinkRoute'
                  : 'publicSubmissionRoute',
        );
      }
    }
    return { api, stage, accessLogs };
  }

  /** the API on its own domain (regional endpoint, TLS 1.2), mapped to the $default stage; CloudFront's origin */
  private customDomain({ domainName, certificateArn }: { domainName: string; certificateArn: string }): DomainName {
    const domain = new DomainName(this, 'ApiDomain', {
      domainName,
      certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', certificateArn),
    });
    new ApiMapping(this, 'ApiMapping', { api: this.api, domainName: domain, stage: this.stage });
    return domain;
  }

  /**
   * Abuse protection: a generated value CloudFront adds to every request it forwards; every function with a route
   * refuses requests without it (functions/commons/origin-verify.ts), so the API cannot be called around the edge,
   * whether on its execute-api endpoint or its custom domain (both are public).
   */
  private originVerify(): Secret {
    const secret = new Secret(this, 'OriginVerifySecret', {
      description: 'feedback: the x-origin-verify value CloudFront adds to requests it forwards to the HTTP API',
      // header-safe characters; a plain string, not JSON: the functions compare the whole SecretString
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      // nothing outside this stack holds it: a fresh deploy generates a new one for both sides
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(secret, 'originVerifySecret');
    for (const name of new Set(topology.routes.map((route) => route.function))) this.functions[name].bindOriginVerify(secret);
    return secret;
  }

  /**
   * Abuse protection: CloudFront in front of the HTTP API, so AWS WAF (which cannot attach to an HTTP API) can sit in
   * front of it. Nothing is cached (the public survey's own Cache-Control still reaches browsers); every viewer header
   * but Host is forwarded, with the viewer's address, which the public functions key their limits on, in a header the
   * edge sets itself (viewer-address.ts).
   */
  private edgeDistribution(props: FeedbackApiStackProps): Distribution {
    const viewerAddress = new CloudFrontFunction(this, 'ViewerAddress', {
      code: FunctionCode.fromInline(VIEWER_ADDRESS_FUNCTION_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: `feedback: the viewer's address in ${VIEWER_ADDRESS_HEADER}, for the API's per-client limits`,
    });
    const distribution = new Distribution(this, 'Edge', {
      comment: 'feedback: the HTTP API behind CloudFront and AWS WAF',
      defaultBehavior: {
        origin: new HttpOrigin((props.dnsReady ? this.apiDomain?.name : undefined) ?? `${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          // a CloudFormation dynamic reference: resolved at deploy time, so the value is in neither template nor
          // bundle; CloudFront replaces a header of that name a viewer sends
          customHeaders: { [ORIGIN_VERIFY_HEADER]: this.originVerifySecret.secretValue.unsafeUnwrap() },
          readTimeout: EDGE_ORIGIN_READ_TIMEOUT,
        }),
        allowedMethods: AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        functionAssociations: [{ function: viewerAddress, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      // an API error is an answer to one request: never served again from CloudFront's cache
      errorResponses: UNCACHED_API_ERRORS.map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.edgeWebAclArn ? { webAclId: props.edgeWebAclArn } : {}),
      ...(props.edgeDomain
        ? {
            domainNames: [props.edgeDomain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'EdgeCertificate', props.edgeDomain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    acknowledge(distribution, 'edgeNoGeoRestriction');
    if (props.edgeDomain) {
      new CfnOutput(this, 'EdgeDomainTarget', {
        description: props.dnsReady
          ? `Point ${props.edgeDomain.domainName} at this: a CNAME record, or a Route 53 alias to the CloudFront distribution`
          : `Point ${props.edgeDomain.domainName} at this (a CNAME record, or a Route 53 alias to the CloudFront distribution), then deploy again with -c dnsReady=true: the widget, the console and email links then use it`,
        value: distribution.distributionDomainName,
      });
    } else acknowledge(distribution, 'edgeDefaultCertificate');
    acknowledge(distribution, 'edgeAccessLogs');
    if (!props.edgeWebAclArn) acknowledge(distribution, 'edgeWafInSeparateStack');
    // every routed function: requests reach them only through CloudFront (the origin-verify header), so the viewer
    // address it sets is the client's, for the public limits and for the throttle on bad tokens alike
    for (const name of Object.keys(topology.functions) as FunctionName[]) {
      if (topology.routes.some((route) => route.function === name)) this.functions[name].function.addEnvironment('RATE_LIMIT_CLIENT_IP_HEADER', VIEWER_ADDRESS_HEADER);
    }
    return distribution;
  }

  /**
   * The widget's two files from the API's own origin: a page's `<script src>` then names the host the widget calls, as
   * it does locally, and the widget's default endpoint (its script's origin) is the API. From the console's CDN alone
   * a tag without `data-endpoint` sent its survey read and its response to the console's bucket, and got 403s.
   */
  private serveWidgetAtTheEdge(): void {
    const files = S3BucketOrigin.withOriginAccessControl(this.console.bucket, {
      originAccessControl: new S3OriginAccessControl(this, 'WidgetFilesAccess', { originAccessControlName: globalCloudFrontName(this, 'widget-files') }),
    });
    for (const path of WIDGET_FILES) {
      this.edge.addBehavior(path, files, {
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // the files' own Cache-Control (5 minutes, console-hosting.ts) bounds how long a release takes to reach pages
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
      });
    }
  }

  private eventSources(props: FeedbackApiStackProps, throughput: ThroughputSettings): void {
    for (const declared of topology.eventSources) {
      // the responses queue's consumer runs at the deploy's throughput settings; the topology holds their defaults
      const source =
        declared.function === 'process'
          ? {
              ...declared,
              batchSize: throughput.processBatchSize,
              maxBatchingWindowSeconds: throughput.processBatchWindowSeconds,
              maxConcurrency: throughput.processConcurrency,
            }
          : declared;
      const fn = this.functions[source.function];
      const { visibilityTimeoutSeconds } = topology.queues[source.queue];
      const timeoutSeconds: number = topology.functions[source.function].timeoutSeconds;
      // the event source holds what it received while it gathers a batch: the window counts against the visibility too
      if (visibilityTimeoutSeconds < VISIBILITY_TIMEOUT_FACTOR * timeoutSeconds + source.maxBatchingWindowSeconds) {
        throw new Error(
          `topology: queue "${source.queue}" visibility timeout ${visibilityTimeoutSeconds}s must be at least ` +
            `${VISIBILITY_TIMEOUT_FACTOR} × the ${timeoutSeconds}s timeout of its consumer "${source.function}" plus its ${source.maxBatchingWindowSeconds}s batching window`,
        );
      }
      fn.function.addEventSource(
        new SqsEventSource(props.queues[source.queue].queue, {
          batchSize: source.batchSize,
          maxBatchingWindow: Duration.seconds(source.maxBatchingWindowSeconds),
          maxConcurrency: source.maxConcurrency,
          // failed records go back to the queue (and on to the DLQ) alone, not with the whole batch
          reportBatchItemFailures: true,
        }),
      );
    }
  }

  private schedules(): void {
    for (const schedule of topology.schedules) {
      const id = pascal(schedule.name);
      const fn = this.functions[schedule.function].function;
      // one role per schedule, so its single permission can be acknowledged where it is granted
      const role = new Role(this, `${id}ScheduleRole`, {
        // confused-deputy guard: only schedules in this account may use the role
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
        description: `EventBridge Scheduler: ${schedule.name} invokes ${schedule.function}`,
      });
      acknowledgeInvokeQualifiers(role, fn);
      new Schedule(this, `${id}Schedule`, {
        description: `feedback ${schedule.name}: invoke ${schedule.function} every ${schedule.everyMinutes} min`,
        schedule: ScheduleExpression.rate(Duration.minutes(schedule.everyMinutes)),
        // each run picks up whatever is still pending, so a failed or missed run is simply covered by the next one
        target: new LambdaInvoke(fn, {
          role,
          retryAttempts: 0,
          maxEventAge: Duration.minutes(Math.max(1, schedule.everyMinutes)),
        }),
      });
    }
  }

  private alarms(props: FeedbackApiStackProps): Topic {
    // Not KMS-encrypted: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and a customer key
    // (with a CloudWatch key policy) costs more than alarm messages, which carry no feedback data, justify.
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'Feedback platform alarms', enforceSSL: true });
    // a topic policy replaces SNS's default one, which is what let the account's alarms publish: without this, every
    // alarm changes state and nobody hears of it ("… is not authorized to perform: SNS:Publish … because no
    // resource-based policy allows …" in the alarm's history)
    topic.addToResourcePolicy(this.publishBy('AllowThisAccountsAlarms', 'cloudwatch.amazonaws.com', topic, `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`));
    for (const email of props.alarmEmails ?? []) topic.addSubscription(new EmailSubscription(email));
    if (props.monthlyBudgetUsd !== undefined) this.budget(topic, props.monthlyBudgetUsd);
    const action = new SnsAction(topic);

    const alarm = (id: string, metric: IMetric, description: string, threshold = 1) => {
      const created = new Alarm(this, id, {
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // no datapoints means no errors / an empty queue, not an unknown state
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
    };

    // each description names where to look (it reaches the alarm e-mail) and the runbook's section for it
    for (const [name, { deadLetterQueue }] of entries(props.queues)) {
      const consumer = topology.eventSources.find((source) => source.queue === name)?.function;
      alarm(
        `${pascal(name)}DeadLetterQueueAlarm`,
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `Messages from the ${name} queue failed ${topology.queues[name].maxReceiveCount} times and are waiting in its DLQ ${deadLetterQueue.queueName}.` +
          (consumer ? ` Why: the ERROR lines (message ids and reasons) in ${this.functions[consumer].logGroup.logGroupName}.` : '') +
          ` Runbook: ${RUNBOOK}#${RUNBOOK_SECTIONS.deadLetterQueue}`,
      );
    }
    for (const [name, { queue }] of entries(props.queues)) {
      const consumer = topology.eventSources.find((source) => source.queue === name)?.function;
      alarm(
        `${pascal(name)}QueueBacklogAlarm`,
        queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `A message has waited in the ${name} queue ${queue.queueName} for ${QUEUE_BACKLOG_ALARM_SECONDS / 60} minutes or more: its consumer is not taking messages ` +
          `(its event source disabled, the function throttled) or more arrive than the throughput settings let it take. SQS drops a message 14 days after it was sent.` +
          (consumer ? ` Consumer logs: ${this.functions[consumer].logGroup.logGroupName}.` : '') +
          ` Runbook: ${RUNBOOK}#${RUNBOOK_SECTIONS.queueBacklog}`,
        QUEUE_BACKLOG_ALARM_SECONDS,
      );
    }
    for (const [name, fn] of entries(this.functions)) {
      alarm(
        `${pascal(name)}ErrorsAlarm`,
        fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        `The ${name} function failed at least once in 5 minutes (an invocation error: a timeout, a crash, or a queue or schedule handler that threw;` +
          ` an error a route answers with 500 is the API 5xx alarm's). Logs: ${fn.logGroup.logGroupName}. Runbook: ${RUNBOOK}#${RUNBOOK_SECTIONS.functionErrors}`,
      );
    }
    // a route's handler answers an error it did not expect with a 500 and returns normally, so Lambda counts no error
    // for it: only API Gateway's 5xx count sees an API that fails every request (and its own 503s and 500s)
    alarm(
      'ApiServerErrorsAlarm',
      this.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      `The HTTP API answered 5xx at least once in 5 minutes (a handler's unexpected error, an integration timeout or a throttled function). ` +
        `Which routes and why: the access log ${this.accessLogs.logGroupName}. Runbook: ${RUNBOOK}#${RUNBOOK_SECTIONS.apiServerErrors}`,
    );
    return topic;
  }

  /**
   * A monthly cost budget on the whole account (a budget sees the account's bill, not one stack's: filtering by a
   * cost allocation tag would need the tag activated in the Billing console first, and until then would report $0),
   * notifying the alarm topic, so the alarmEmail addresses hear of it with the alarms. Budgets without actions are
   * free (the AWS Budgets price list: "$0.00 for Budget-days").
   */
  private budget(topic: Topic, monthlyUsd: number): void {
    // as for the alarms, the topic policy must let the service publish, and only for this account's budgets
    topic.addToResourcePolicy(this.publishBy('AllowThisAccountsBudgets', 'budgets.amazonaws.com', topic, `arn:${this.partition}:budgets::${this.account}:*`));
    const budget = new CfnBudget(this, 'MonthlyBudget', {
      budget: {
        budgetName: budgetNameOf(this.stackName, this.region, BUDGET_NOTIFICATIONS),
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: monthlyUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: BUDGET_NOTIFICATIONS.map(({ notificationType, threshold }) => ({
        notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
        subscribers: [{ subscriptionType: 'SNS', address: topic.topicArn }],
      })),
    });
    // the notifications fail to reach the topic until its policy allows them
    const policy = topic.node.tryFindChild('Policy');
    if (policy) budget.node.addDependency(policy);
  }

  /** a topic policy statement letting an AWS service publish to the topic, for this account's resources only */
  private publishBy(sid: string, service: string, topic: Topic, sourceArn: string): PolicyStatement {
    return new PolicyStatement({
      sid,
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal(service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account }, ArnLike: { 'aws:SourceArn': sourceArn } },
    });
  }
}
