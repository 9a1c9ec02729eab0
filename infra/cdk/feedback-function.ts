// infra/cdk: the only place that decides how a Lambda function is built, so every function gets the same runtime,
// bundling, logging and role shape. Access is added through binders that set the environment variable the handler
// reads and the IAM grant it needs in one call, so the two cannot drift apart.
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_URLS_SECRET_ARN_ENV } from '../../functions/commons/alert-webhook-config.js';
import { ORIGIN_VERIFY_SECRET_ARN_ENV } from '../../functions/commons/origin-verify.js';
import { COMPREHEND_CALLS_PER_SECOND } from '../../shared/sentiment/comprehend-limits.js';
import { lambdaBundling } from '../bundling.js';
import {
  boundEnvNames,
  deployedIndexes,
  legacyIndexEnvName,
  legacyIndexOf,
  queueEnvName,
  tableEnvName,
  type Access,
  type FunctionDeclaration,
  type FunctionName,
  type QueueName,
  type TableName,
} from '../topology.js';
import { acknowledge } from './nag-suppressions.js';

/** topology entries are relative to the repository root, wherever synth is started from */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Powertools service name: one service, so logs from all functions can be queried together */
export const SERVICE_NAME = 'feedback';

// Spelled out rather than table.grantReadData(): those helpers add streams actions and a `/index/*` wildcard, while
// the topology names every index a function may query.
const DYNAMODB_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const DYNAMODB_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
// an append-only table (the audit log): new items only, never an update or a delete (the adapter also puts with
// attribute_not_exists, so an entry is never overwritten)
const DYNAMODB_APPEND = ['dynamodb:PutItem'];
// a run lease: taken with a conditional put, given back with a conditional delete (a condition needs no read grant)
const DYNAMODB_LEASE = ['dynamodb:PutItem', 'dynamodb:DeleteItem'];
// items by their keys: no Query or Scan, so a function holding it cannot list the table
const DYNAMODB_LOOKUP = ['dynamodb:GetItem', 'dynamodb:BatchGetItem'];
const ACTIONS_FOR: Record<Access, string[]> = {
  read: DYNAMODB_READ,
  readwrite: [...DYNAMODB_READ, ...DYNAMODB_WRITE],
  append: DYNAMODB_APPEND,
  readappend: [...DYNAMODB_READ, ...DYNAMODB_APPEND],
  lease: DYNAMODB_LEASE,
  lookup: DYNAMODB_LOOKUP,
};

export const COMPREHEND_ACTIONS = [
  'comprehend:BatchDetectSentiment',
  'comprehend:BatchDetectDominantLanguage',
  // PII redaction of comments (shared/privacy/comprehend-redactor.ts), in the same functions as sentiment
  'comprehend:DetectPiiEntities',
];

export interface FeedbackFunctionProps {
  name: FunctionName;
  declaration: FunctionDeclaration;
  /** how long its log group keeps lines (context value logRetentionDays, infra/log-retention.ts) */
  logRetention: RetentionDays;
}

export class FeedbackFunction extends Construct {
  readonly name: FunctionName;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, { name, declaration, logRetention }: FeedbackFunctionProps) {
    super(scope, id);
    this.name = name;

    // An explicit log group gives a retention period (the implicit one keeps logs forever) and lets the role write
    // to this group only, instead of the account-wide AWSLambdaBasicExecutionRole managed policy.
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `feedback ${name}: ${declaration.description}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${repoRoot}${declaration.entry}`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      description: declaration.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: declaration.memoryMb,
      timeout: Duration.seconds(declaration.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      bundling: lambdaBundling,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        LOG_LEVEL: 'INFO',
      },
    });
    acknowledge(this.function, 'nodeRuntime');
  }

  /**
   * TABLE env var + read, read/write or append on the table and the indexes it is deployed with; a deployed legacy index
   * is named in TABLE_LEGACY_INDEX, so readers know they may query it
   */
  bindTable(table: TableName, resource: ITable, access: Access, legacyIndexes: boolean): this {
    this.function.addEnvironment(tableEnvName(table), resource.tableName);
    const indexes = deployedIndexes(table, legacyIndexes);
    const legacy = legacyIndexes ? legacyIndexOf(table) : undefined;
    if (legacy) this.function.addEnvironment(legacyIndexEnvName(table), legacy.name);
    Grant.addToPrincipal({
      grantee: this.function,
      actions: ACTIONS_FOR[access],
      resourceArns: [resource.tableArn, ...indexes.map((index) => `${resource.tableArn}/index/${index.name}`)],
    });
    return this;
  }

  /** QUEUE_URL env var + permission to send to that queue (consuming is granted by the event source) */
  bindQueue(queue: QueueName, resource: IQueue): this {
    this.function.addEnvironment(queueEnvName(queue), resource.queueUrl);
    resource.grantSendMessages(this.function);
    return this;
  }

  /** ADMIN_TOKEN_SECRET_ARN + read on that one secret; the handler caches the value per cold start */
  bindAdminToken(secret: ISecret): this {
    this.function.addEnvironment(boundEnvNames.adminTokenSecretArn, secret.secretArn);
    secret.grantRead(this.function);
    return this;
  }

  /**
   * ALERT_WEBHOOK_SECRET_ARN + read on that one secret (the signing secret, cached per cold start), and
   * WEBHOOK_URLS_SECRET_ARN + read on the WebhookUrls secret (its "alert" URL; none: no alert is sent). The URL is
   * never in the environment: it may carry a token.
   */
  bindAlertWebhook(signing: ISecret, urls: ISecret): this {
    this.function.addEnvironment(boundEnvNames.alertWebhookSecretArn, signing.secretArn);
    signing.grantRead(this.function);
    return this.bindWebhookUrls(urls);
  }

  /**
   * FOLLOWUP_WEBHOOK_SECRET_ARN + read on that one secret (the alert webhook's signing secret: one secret for the
   * receivers to hold), and the WebhookUrls secret (its "followup" and "escalation" URLs; a kind without a URL is
   * recorded as not configured and never sent).
   */
  bindFollowupWebhooks(signing: ISecret, urls: ISecret): this {
    this.function.addEnvironment(boundEnvNames.followupWebhookSecretArn, signing.secretArn);
    signing.grantRead(this.function);
    return this.bindWebhookUrls(urls);
  }

  private bindWebhookUrls(urls: ISecret): this {
    this.function.addEnvironment(WEBHOOK_URLS_SECRET_ARN_ENV, urls.secretArn);
    urls.grantRead(this.function);
    return this;
  }

  /** LINK_SIGNING_KEYS_SECRET_ARN + read on that one secret (link signing keys, cached per cold start) */
  bindLinkKeys(secret: ISecret): this {
    this.function.addEnvironment(boundEnvNames.linkSigningKeysSecretArn, secret.secretArn);
    secret.grantRead(this.function);
    return this;
  }

  /** ORIGIN_VERIFY_SECRET_ARN + read on that one secret: the function refuses requests that did not come through the edge */
  bindOriginVerify(secret: ISecret): this {
    this.function.addEnvironment(ORIGIN_VERIFY_SECRET_ARN_ENV, secret.secretArn);
    secret.grantRead(this.function);
    return this;
  }

  /**
   * scores sentiment with Amazon Comprehend, at most `callsPerSecond` calls a second per instance
   * (COMPREHEND_CALLS_PER_SECOND); SENTIMENT_PROVIDER is also baked into the bundle (see bundling.ts)
   */
  bindComprehend(callsPerSecond: number): this {
    this.function.addEnvironment('SENTIMENT_PROVIDER', 'comprehend');
    this.function.addEnvironment(COMPREHEND_CALLS_PER_SECOND.env, String(callsPerSecond));
    this.function.addToRolePolicy(new PolicyStatement({ actions: COMPREHEND_ACTIONS, resources: ['*'] }));
    acknowledge(this.role, 'comprehendWildcard');
    return this;
  }
}
