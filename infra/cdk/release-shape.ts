// infra: what a `cdk deploy` of this version over a stack of the last release must find unchanged, or the update
// loses data or stops midway. CloudFormation matches resources by logical id: a stateful resource whose id changes (a
// construct renamed or moved) is created anew, empty, and the old one deleted, or orphaned where it is retained; and a
// change to a property that can only be set at creation (a table's key schema, a queue's name) replaces it the same
// way. A secret whose template value changes is overwritten (the operator's webhook URLs) or generated again (the link
// signing keys: every link sent stops working). And a stack's exports that another deployed stack imports cannot be
// removed or changed: the exporting stack, deployed first, fails. test/infra/stacks.test.ts holds each version to
// test/fixtures/released-stack.json, the shape of the last release; when a release ships, write its shape there:
//   npm run synth && npx tsx infra/cdk/release-shape.ts cdk.out > test/fixtures/released-stack.json
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
}
export interface StackTemplate {
  Resources?: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/** a kept resource: its type, and the properties whose change replaces it or resets what it holds */
export interface KeptResource {
  type: string;
  fixed: Record<string, unknown>;
}

export interface ReleaseShape {
  /** by "<stack>/<logical id>" */
  resources: Record<string, KeptResource>;
  /** each export's value, by "<stack>/<export name>" */
  exports: Record<string, unknown>;
}

/**
 * the resources that hold what users sent or configured: kept whatever their deletion policy. Not buckets: the one the
 * stacks have holds the console's files, built and uploaded again by every deploy (a retained bucket would count)
 */
const HOLDERS = ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret'];

/** per type, the properties that can only be set when the resource is created, or whose change resets its contents */
const FIXED_PROPERTIES: Record<string, string[]> = {
  'AWS::DynamoDB::Table': ['TableName', 'KeySchema', 'LocalSecondaryIndexes'],
  'AWS::SQS::Queue': ['QueueName', 'FifoQueue'],
  'AWS::SecretsManager::Secret': ['Name', 'SecretString', 'GenerateSecretString'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
};

/** the key attributes' types too: a key attribute's type cannot change in place either */
function fixedOf(resource: TemplateResource): Record<string, unknown> {
  const properties = resource.Properties ?? {};
  const fixed = Object.fromEntries((FIXED_PROPERTIES[resource.Type] ?? []).filter((name) => properties[name] !== undefined).map((name) => [name, properties[name]]));
  if (resource.Type === 'AWS::DynamoDB::Table') {
    const keyNames = new Set((properties.KeySchema as { AttributeName: string }[] | undefined)?.map((key) => key.AttributeName));
    fixed.KeyAttributes = (properties.AttributeDefinitions as { AttributeName: string }[] | undefined)?.filter((definition) => keyNames.has(definition.AttributeName));
  }
  return fixed;
}

/** the shape of the stacks' templates, by stack name */
export function releaseShapeOf(templates: Record<string, StackTemplate>): ReleaseShape {
  const shape: ReleaseShape = { resources: {}, exports: {} };
  for (const [stack, template] of Object.entries(templates).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [id, resource] of Object.entries(template.Resources ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      if (resource.DeletionPolicy === 'Retain' || HOLDERS.includes(resource.Type)) shape.resources[`${stack}/${id}`] = { type: resource.Type, fixed: fixedOf(resource) };
    }
    for (const output of Object.values(template.Outputs ?? {})) {
      if (output.Export) shape.exports[`${stack}/${JSON.stringify(output.Export.Name)}`] = output.Value;
    }
  }
  return shape;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** what an update from `released` to `current` would break, in words; empty when nothing */
export function upgradeBreaks(released: ReleaseShape, current: ReleaseShape): string[] {
  const breaks: string[] = [];
  for (const [key, was] of Object.entries(released.resources)) {
    const now = current.resources[key];
    if (!now) breaks.push(`${key} (${was.type}) is gone: the update would delete or orphan it, and what it holds with it`);
    else if (now.type !== was.type) breaks.push(`${key} changes type from ${was.type} to ${now.type}: the update would replace it`);
    else {
      for (const name of new Set([...Object.keys(was.fixed), ...Object.keys(now.fixed)])) {
        if (!same(was.fixed[name], now.fixed[name])) breaks.push(`${key} (${was.type}) changes ${name}: the update would replace it or reset what it holds`);
      }
    }
  }
  for (const [key, value] of Object.entries(released.exports)) {
    if (!(key in current.exports)) breaks.push(`export ${key} is gone: a deployed stack that imports it makes the update fail`);
    else if (!same(current.exports[key], value)) breaks.push(`export ${key} changes value: a deployed stack that imports it makes the update fail`);
  }
  return breaks;
}

/** the stacks' templates in a cloud assembly (cdk.out), by stack name */
export function templatesOf(assemblyDir: string): Record<string, StackTemplate> {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string } }>;
  };
  return Object.fromEntries(
    Object.entries(manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
      .map(([id, artifact]) => [artifact.properties!.stackName ?? id, JSON.parse(readFileSync(join(assemblyDir, artifact.properties!.templateFile!), 'utf8')) as StackTemplate]),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const assemblyDir = process.argv[2] ?? 'cdk.out';
  process.stdout.write(`${JSON.stringify(releaseShapeOf(templatesOf(assemblyDir)), null, 2)}\n`);
}
