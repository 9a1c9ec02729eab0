// infra/cdk: where the stack can run. Every comment goes through Amazon Comprehend (PII, language, sentiment), which
// AWS offers in fewer regions than Lambda or DynamoDB; deployed elsewhere, its endpoint does not resolve, every call
// fails as a network fault, and every comment waits `pending` for ever with no function error to raise an alarm. So
// a deploy outside these regions is refused (a CloudFormation rule in the API stack, and at synth when the CDK CLI
// names the target region).
//
// The commercial regions with a Comprehend endpoint, as the AWS SDK's endpoint list and the General Reference
// ("Amazon Comprehend endpoints and quotas") give them, read 2026-12-07. Add one when AWS does. Not AWS GovCloud
// (US), though it has Comprehend: the stack puts CloudFront and a us-east-1 WAF stack in front of the API, and
// neither exists in the aws-us-gov partition.
export const COMPREHEND_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

export const comprehendRegionRefusal = (region: string) =>
  `Amazon Comprehend, which reads every comment, is not offered in ${region}: deploy to one of ${COMPREHEND_REGIONS.join(', ')}`;
