// infra/cdk: every cdk-nag (AwsSolutions) finding this project accepts, and why, in one reviewable list. Each one is
// acknowledged on the narrowest construct that causes it, never on a whole stack, so a new resource that trips the
// same rule still fails synth.
import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

const accepted = {
  nodeRuntime: {
    id: 'AwsSolutions-L1',
    reason:
      'Node.js 22 is the runtime this project targets and tests against (bundles are built for node22); ' +
      'moving to a newer runtime is a deliberate, tested upgrade rather than something synth should force.',
  },
  comprehendWildcard: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Amazon Comprehend real-time APIs (BatchDetectSentiment, BatchDetectDominantLanguage, DetectPiiEntities) do not ' +
      'support resource-level permissions, so "*" is the only valid resource; the statement is limited to those actions.',
  },
  bearerTokenRoute: {
    id: 'AwsSolutions-APIG4',
    reason:
      'Admin routes authorise inside the function: it requires "Authorization: Bearer <token>" and compares it in ' +
      'constant time with the admin token held in Secrets Manager; requests without it get 401.',
  },
  publicSubmissionRoute: {
    id: 'AwsSolutions-APIG4',
    reason:
      'Anonymous by design: the embeddable widget posts responses from visitors of the survey owner\'s site. The ' +
      'function validates each submission against its stored survey (including the allowed origins) and only ' +
      'enqueues it; it has no access to stored responses.',
  },
  staticAdminToken: {
    id: 'AwsSolutions-SMG4',
    reason:
      'The admin token is a bearer credential the operator copies into their tools; automatic rotation would ' +
      'silently lock them out. It is generated at deploy time and rotated by the operator when needed.',
  },
  staticWebhookSecret: {
    id: 'AwsSolutions-SMG4',
    reason:
      'The alert webhook signing secret is shared with the operator\'s webhook receiver, which verifies signatures ' +
      'with its own copy and cannot follow an automatic rotation; rotating it is a coordinated manual step (give the ' +
      'receiver the new secret, which may accept several signatures meanwhile, then update this one).',
  },
  staticLinkKeys: {
    id: 'AwsSolutions-SMG4',
    reason:
      'Link signing keys rotate by adding a key (a new kid) to the secret while older links still verify with the ' +
      'old one; an automatic rotation would replace the only key and break every link already sent to customers.',
  },
  signedLinkRoute: {
    id: 'AwsSolutions-APIG4',
    reason:
      'Public by design: the customer opens the re-survey link from a message. The HMAC-signed token in the path is ' +
      'the credential (tampered 400, expired 410), and it only allows one 1–5 answer on its own task.',
  },
  // CX console: static hosting (infra/cdk/console-hosting.ts)
  consoleBucketAccessLogs: {
    id: 'AwsSolutions-S1',
    reason:
      'The console bucket holds only the built, public console and widget files (no customer data); it is private ' +
      'and read only by CloudFront through origin access control, and every deploy rewrites it from the repository.',
  },
  consoleDistributionGeo: {
    id: 'AwsSolutions-CFR1',
    reason: 'CX leads and widget visitors may be anywhere; the files are the same public build for everyone, and the API checks every token.',
  },
  consoleDistributionWaf: {
    id: 'AwsSolutions-CFR2',
    reason:
      'The distribution serves static, public build files only (GET/HEAD, cached); a WAF web ACL costs a monthly fee ' +
      'that a platform meant to cost nothing when idle should not impose. Add one in front if your policy requires it.',
  },
  consoleDistributionLogs: {
    id: 'AwsSolutions-CFR3',
    reason:
      'Access logs of static file downloads would hold visitor IPs without helping operations; API calls, where the ' +
      'data is, are logged by the HTTP API stage.',
  },
  consoleDistributionTls: {
    id: 'AwsSolutions-CFR4',
    reason:
      'The distribution uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes (a ' +
      'minimum protocol version needs a custom domain and certificate); viewers are redirected to HTTPS.',
  },
  consoleDeploymentFunction: {
    id: 'AwsSolutions-L1',
    reason: 'The BucketDeployment handler\'s runtime is chosen by aws-cdk-lib for its bundled AWS CLI layer; it runs only during a deploy.',
  },
  consolePreflightRoute: {
    id: 'AwsSolutions-APIG4',
    reason:
      'CORS preflight (OPTIONS) of the routes the CX console calls: browsers send it without credentials; it answers ' +
      'only which origin, methods and headers are allowed, and reads no data.',
  },
  // email survey links
  emailSurveyLinkRoute: {
    id: 'AwsSolutions-APIG4',
    reason:
      'Public by design: the customer opens their personal survey link from an e-mail. The HMAC-signed token in the ' +
      'path is the credential (tampered 400, expired 410); it only allows answering its own invitation, once (a new ' +
      'submit replaces the same response), and a GET records nothing but an open.',
  },
  // abuse protection: the CloudFront distribution in front of the HTTP API
  edgeNoGeoRestriction: {
    id: 'AwsSolutions-CFR1',
    reason:
      'Feedback comes from the survey owner\'s visitors and customers wherever they are; which countries to refuse is ' +
      'the owner\'s decision, added to the web ACL if they want one.',
  },
  edgeDefaultCertificate: {
    id: 'AwsSolutions-CFR4',
    reason:
      'The distribution uses the default *.cloudfront.net certificate, whose minimum viewer TLS version CloudFront fixes; ' +
      'a custom domain with its own ACM certificate (and TLSv1.2_2021) is the operator\'s choice at deploy time.',
  },
  edgeAccessLogs: {
    id: 'AwsSolutions-CFR3',
    reason:
      'Every request that passes the edge is logged by the HTTP API stage access log (JSON, one month), with the edge ' +
      "server's address rather than the viewer's; WAF metrics and sampled requests (viewer address included) cover what " +
      'the edge sees and blocks. Standard logs would add an S3 log bucket with ACLs; WAF logging is the owner\'s option.',
  },
  edgeWafInSeparateStack: {
    id: 'AwsSolutions-CFR2',
    reason:
      'The web ACL is a CLOUDFRONT-scope ACL, which must live in us-east-1: it is the FeedbackEdgeWaf stack, attached ' +
      'here with -c edgeWebAclArn=<its WebAclArn output> (see README, Abuse protection).',
  },
  webhookUrlsSecret: {
    id: 'AwsSolutions-SMG4',
    reason:
      'The webhook URLs secret holds the operator\'s receiver URLs (which may embed their tokens), set by the operator ' +
      'with put-secret-value; there is nothing to generate, so a rotation function has nothing to rotate to.',
  },
  originVerifySecret: {
    id: 'AwsSolutions-SMG4',
    reason:
      'The origin verify secret is a value CloudFront adds to requests it forwards, resolved into the distribution at ' +
      'deploy time; a rotation would break the edge until the next deploy. It is regenerated by replacing it and deploying.',
  },
} as const;

export type AcceptedFinding = keyof typeof accepted;

/** Acknowledges one accepted finding on `scope` and everything beneath it. */
export function acknowledge(scope: IConstruct, finding: AcceptedFinding): void {
  Validations.of(scope).acknowledge(accepted[finding]);
}

/**
 * `grantInvoke` (used by the EventBridge Scheduler Lambda target) allows `<function arn>:*` next to the function
 * ARN, which IAM5 flags. The finding names the function's logical id, so it is built here rather than hard-coded.
 */
export function acknowledgeInvokeQualifiers(scope: IConstruct, fn: IFunction): void {
  const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction);
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
    reason:
      'The wildcard only covers qualified ARNs (versions and aliases) of this one function; the role can invoke ' +
      'nothing else and only EventBridge Scheduler in this account can assume it.',
  });
}

/**
 * CX console: the wildcards of the CDK BucketDeployment handler's role (granted by aws-cdk-lib): read the deploy's
 * asset objects, write this one bucket's objects, invalidate its distribution. Built here because the findings name
 * the bucket's logical id.
 */
export function acknowledgeConsoleDeployment(role: IConstruct, bucket: IConstruct): void {
  const bucketId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
  const reason =
    'The CDK BucketDeployment handler (run only during a deploy) copies the deploy\'s asset objects (s3:GetObject*, ' +
    's3:List*, s3:GetBucket* on the CDK asset bucket) into the console bucket (object actions on its keys only) and ' +
    'invalidates its distribution (CloudFront invalidation actions support no resource-level permission).';
  const findings = [
    'Action::s3:GetBucket*',
    'Action::s3:GetObject*',
    'Action::s3:List*',
    'Action::s3:Abort*',
    'Action::s3:DeleteObject*',
    'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
    `Resource::<${bucketId}.Arn>/*`,
    'Resource::*',
  ];
  for (const finding of findings) Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
}
