// infra/cdk: names for CloudFront's own resources (origin access controls, response headers policies), which are
// global: one name per account, whatever the region. CDK names them from the stack and the construct only, so the same
// stacks deployed in a second region of the account (staging beside production) failed on "already exists". The
// stack's region in the name keeps each deployment's apart. (FeedbackEdgeWaf, always in us-east-1, is then one stack
// for both regions: docs/upgrading.md.)
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** "<stack>-<region>-<purpose>": within CloudFront's 64 characters for the longest stack and region names here */
export const globalCloudFrontName = (scope: Construct, purpose: string): string => `${Stack.of(scope).stackName}-${Stack.of(scope).region}-${purpose}`;
