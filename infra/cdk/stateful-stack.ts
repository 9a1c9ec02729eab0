// infra/cdk: everything that holds data (tables, queues and their DLQs, the admin token, the alert webhook signing
// secret), kept apart from the code that uses it so the functions/API stack can be changed, replaced or torn down
// without putting data at risk.
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { deployedIndexes, topology, type QueueDeclaration, type QueueName, type TableDeclaration, type TableName } from '../topology.js';
import { acknowledge } from './nag-suppressions.js';

export interface QueueWithDlq {
  queue: Queue;
  deadLetterQueue: Queue;
}

const pascal = (name: string) => name.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());

const entries = <K extends string, V>(record: Record<K, V>) => Object.entries(record) as [K, V][];

export interface FeedbackStatefulStackProps extends StackProps {
  /** deploy the indexes the topology marks `legacy` (context `legacyBySurveyIndex`, default false; docs/upgrading.md) */
  legacyIndexes?: boolean;
}

export class FeedbackStatefulStack extends Stack {
  readonly tables = {} as Record<TableName, Table>;
  readonly queues = {} as Record<QueueName, QueueWithDlq>;
  readonly adminToken: Secret;
  readonly alertWebhookSecret: Secret;
  /** where webhooks are POSTed: JSON {"alert"?, "followup"?, "escalation"?}, set by the operator (README, Alerts) */
  readonly webhookUrls: Secret;
  readonly linkSigningKeys: Secret;

  constructor(scope: Construct, id: string, props: FeedbackStatefulStackProps = {}) {
    super(scope, id, props);

    for (const [name, declaration] of entries<TableName, TableDeclaration>(topology.tables)) {
      this.tables[name] = this.table(name, declaration, props.legacyIndexes ?? false);
    }
    for (const [name, declaration] of entries<QueueName, QueueDeclaration>(topology.queues)) {
      this.queues[name] = this.queue(name, declaration);
    }

    this.adminToken = new Secret(this, 'AdminToken', {
      description: 'Bearer token for the feedback admin API (Authorization: Bearer <token>)',
      // a plain string, not JSON: the admin handler compares the whole SecretString
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      // nothing else refers to it, and a fresh deploy generates a new one
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(this.adminToken, 'staticAdminToken');

    new CfnOutput(this, 'AdminTokenSecretName', {
      description: 'aws secretsmanager get-secret-value --secret-id <this> --query SecretString --output text',
      value: this.adminToken.secretName,
    });

    this.alertWebhookSecret = new Secret(this, 'AlertWebhookSecret', {
      description: 'Signing secret of alert webhooks (HMAC-SHA256 in x-feedback-signature); give it to your receiver',
      // a plain string, not JSON: the rollup handler signs with the whole SecretString
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // receivers hold a copy; a fresh deploy generates a new one to hand them
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(this.alertWebhookSecret, 'staticWebhookSecret');

    new CfnOutput(this, 'AlertWebhookSecretName', {
      description: 'the webhook signing secret: aws secretsmanager get-secret-value --secret-id <this> --query SecretString --output text',
      value: this.alertWebhookSecret.secretName,
    });

    // A URL may carry a token, so it is kept here rather than in the template or a function's environment. Created
    // empty ({}: no webhook); the operator sets it with put-secret-value, and the functions pick it up within a minute.
    this.webhookUrls = new Secret(this, 'WebhookUrls', {
      description: 'Webhook URLs (https), JSON {"alert"?, "followup"?, "escalation"?}; set with aws secretsmanager put-secret-value',
      secretObjectValue: {},
      // operator-entered configuration: a redeploy must not wipe it
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.webhookUrls, 'webhookUrlsSecret');

    new CfnOutput(this, 'WebhookUrlsSecretName', {
      description: 'aws secretsmanager put-secret-value --secret-id <this> --secret-string \'{"alert":"https://…","followup":"https://…","escalation":"https://…"}\'',
      value: this.webhookUrls.secretName,
    });

    this.linkSigningKeys = new Secret(this, 'LinkSigningKeys', {
      description: 'Keys that sign link tokens (re-survey links): JSON {"kid","secret"} or an array of them, the last signs',
      generateSecretString: { secretStringTemplate: JSON.stringify({ kid: 'k1' }), generateStringKey: 'secret', passwordLength: 64, excludePunctuation: true },
      // links already handed out stop verifying when the key goes: keep it with the data
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.linkSigningKeys, 'staticLinkKeys');
  }

  private table(name: TableName, declaration: TableDeclaration, legacyIndexes: boolean): Table {
    const table = new Table(this, `${pascal(name)}Table`, {
      partitionKey: { name: declaration.partitionKey, type: AttributeType.STRING },
      ...(declaration.sortKey ? { sortKey: { name: declaration.sortKey, type: AttributeType.STRING } } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-managed key: encryption visible in the template and CloudTrail, with no key to administer
      encryption: TableEncryption.AWS_MANAGED,
      ...(declaration.ttlAttribute ? { timeToLiveAttribute: declaration.ttlAttribute } : {}),
      // customer feedback outlives any one deployment; deleting the stack must not delete it. An ephemeral table (the
      // run leases) holds nothing past the runs in flight: kept, it would only be left behind unused
      removalPolicy: declaration.ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      // and no DeleteTable, from the console or a script, deletes it until this is switched off (README, Tearing down)
      ...(declaration.ephemeral ? {} : { deletionProtection: true }),
    });
    for (const index of deployedIndexes(name, legacyIndexes)) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }
    return table;
  }

  private queue(name: QueueName, declaration: QueueDeclaration): QueueWithDlq {
    const id = pascal(name);
    const deadLetterQueue = new Queue(this, `${id}DeadLetterQueue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // the maximum: a message keeps its original enqueue time when it is dead-lettered, so the DLQ must hold it at
      // least as long as the source queue could have, and failures need time to be noticed and redriven
      retentionPeriod: Duration.days(14),
    });
    const queue = new Queue(this, `${id}Queue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(declaration.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(declaration.retentionDays),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: declaration.maxReceiveCount },
    });
    return { queue, deadLetterQueue };
  }
}
