// infra: tags for every resource of the three stacks, as a deploy-time context value
// (`-c resourceTags='{"CostCenter":"cx"}'`, or an object in cdk.context.json). An account whose tag policy requires a
// tag refuses untagged resources, and cost allocation by deployment needs one; CloudFormation's own propagation of
// stack tags (`cdk deploy --tags`) varies by resource type, so the tags are written on each resource in the template.
// Checked at synth against AWS's rules for tags, so a bad one stops synth rather than a deploy halfway.

import { Aspects, CfnResource, Tags, TagManager, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** AWS's limit per resource, less a margin for the tags AWS services add themselves */
export const MAX_RESOURCE_TAGS = 40;
/** the characters AWS allows in tag keys and values (letters, digits, spaces and _ . : / = + - @) */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * The tags given (absent or '' gives none): a JSON object of strings from `-c`, or the object itself from
 * cdk.context.json. Throws an Error naming the context value and the reason on the first tag AWS would refuse.
 */
export function resourceTagsOf(value: unknown): Record<string, string> {
  if (value === undefined || value === '') return {};
  const refuse = (reason: string): never => {
    throw new Error(`context resourceTags: ${reason}`);
  };
  let tags: unknown = value;
  if (typeof value === 'string') {
    try {
      tags = JSON.parse(value);
    } catch {
      refuse(`expected a JSON object of tag names and values, such as {"CostCenter":"cx"}, got ${JSON.stringify(value)}`);
    }
  }
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return refuse(`expected an object of tag names and values, such as {"CostCenter":"cx"}, got ${JSON.stringify(value)}`);
  const entries = Object.entries(tags);
  if (entries.length > MAX_RESOURCE_TAGS) refuse(`at most ${MAX_RESOURCE_TAGS} tags, got ${entries.length}`);
  for (const [key, tagValue] of entries) {
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) refuse(`tag name ${JSON.stringify(key)}: 1 to 128 letters, digits, spaces or _ . : / = + - @`);
    if (key.toLowerCase().startsWith('aws:')) refuse(`tag name ${JSON.stringify(key)}: the aws: prefix is AWS's own`);
    if (typeof tagValue !== 'string' || tagValue.length > 256 || !TAG_TEXT.test(tagValue)) refuse(`tag ${JSON.stringify(key)}: its value must be text of up to 256 letters, digits, spaces or _ . : / = + - @`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * resource types that take a `Tags` list, which the CDK writes raw for its own providers (the bucket-emptying
 * function and its role) and so leaves out of `Tags.of`: a tag policy that requires a tag on functions refuses them too
 */
const RAW_TAGGABLE = new Set(['AWS::Lambda::Function', 'AWS::IAM::Role']);

class TagRawResources implements IAspect {
  constructor(private readonly tags: Record<string, string>) {}

  visit(node: IConstruct): void {
    if (node instanceof CfnResource && RAW_TAGGABLE.has(node.cfnResourceType) && !TagManager.isTaggable(node)) {
      node.addPropertyOverride('Tags', Object.entries(this.tags).map(([Key, Value]) => ({ Key, Value })));
    }
  }
}

/** writes the tags on every resource under `scope` that takes tags, the CDK's own providers' included */
export function tagEveryResource(scope: IConstruct, tags: Record<string, string>): void {
  if (Object.keys(tags).length === 0) return;
  for (const [key, value] of Object.entries(tags)) Tags.of(scope).add(key, value);
  Aspects.of(scope).add(new TagRawResources(tags));
}
