// deploy-faithful runner: what `cdk deploy` would create, read from the synthesized cloud assembly (cdk.out), not from
// infra/topology.ts. Each resource gets the physical name and attributes CloudFormation would give it in account
// 000000000000 (us-east-1), and every intrinsic the templates use (Ref, Fn::GetAtt, Fn::ImportValue, Fn::Join,
// Fn::Sub, Fn::Select, Fn::Split) is resolved against them, so a function sees the environment and the role that its
// template gives it, and nothing else. The distributions' https URLs, which no one can reach here, are resolved to the
// runner's local origins for them: the console's to `consoleOrigin`, the API's (its CloudFront domain and any alias)
// to `apiOrigin`, so what names them (CORS, the console's task links, minted email links) names what the runner serves.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve as resolvePath, sep } from 'node:path';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
  Metadata?: Record<string, Json>;
}
interface Template {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }>;
}

export interface TableResource {
  logicalId: string;
  name: string;
  arn: string;
  properties: Record<string, Json>;
}
export interface QueueResource {
  logicalId: string;
  name: string;
  arn: string;
  /** the URL functions are given (Ref): it points at the local AWS endpoint, as a real one points at SQS */
  url: string;
  visibilityTimeoutSeconds: number;
  retentionSeconds?: number;
  redrive?: { deadLetterTargetArn: string; maxReceiveCount: number };
}
export interface SecretResource {
  logicalId: string;
  name: string;
  arn: string;
  generate?: { passwordLength?: number; excludePunctuation?: boolean; secretStringTemplate?: string; generateStringKey?: string };
  secretString?: string;
}
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
}
export interface FunctionResource {
  logicalId: string;
  name: string;
  arn: string;
  /** the folder of its bundled asset in cdk.out: the bytes `cdk deploy` uploads */
  assetDir: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  reservedConcurrency?: number;
  environment: Record<string, string>;
  roleArn: string;
  /** what the topology calls it, from the construct path (FeedbackApi/<Name>/Function/Resource): for people, not wiring */
  displayName: string;
}
export interface RouteResource {
  method: string;
  path: string;
  functionArn: string;
  /** how long API Gateway waits for the function before it answers 503: the integration's TimeoutInMillis (30 s at most, and by default) */
  timeoutMs: number;
}

/** an HTTP API's integration timeout when the template sets none, and the most it may set */
export const MAX_INTEGRATION_TIMEOUT_MS = 30_000;
export interface EventSourceMappingResource {
  logicalId: string;
  queueArn: string;
  functionName: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
  enabled: boolean;
}
export interface ScheduleResource {
  logicalId: string;
  expression: string;
  targetArn: string;
  roleArn: string;
  input?: string;
  enabled: boolean;
}
export interface InvokePermission {
  functionArn: string;
  principal: string;
  sourceArn?: string;
}

export interface DeployedShape {
  tables: TableResource[];
  queues: QueueResource[];
  secrets: SecretResource[];
  functions: FunctionResource[];
  routes: RouteResource[];
  apiId: string;
  eventSourceMappings: EventSourceMappingResource[];
  schedules: ScheduleResource[];
  /** role ARN → the statements of every policy attached to it */
  policies: Map<string, PolicyStatement[]>;
  invokePermissions: InvokePermission[];
  /**
   * the headers CloudFront adds to what it forwards to the API (its origins with a custom, not S3, config); a value may
   * be a `{{resolve:secretsmanager:…}}` reference, which CloudFormation fills in at deploy
   */
  edgeHeaders: Record<string, string>;
  /**
   * the files the API's distribution serves itself (its behaviours with an S3 origin, e.g. the widget's), by path: the
   * file a BucketDeployment of the template puts in that bucket, from its asset in the assembly
   */
  edgeFiles: EdgeFile[];
  /**
   * the code of the CloudFront Function the API's distribution runs on each viewer request (its default behaviour's
   * `viewer-request` association, CloudFront's JavaScript runtime: `function handler(event)`), if it has one
   */
  viewerRequestCode?: string;
  /** the CX console's distribution (the one that serves only a bucket), if the templates have one */
  console?: ConsoleSite;
}

/** what a distribution in front of a bucket serves: its bucket deployments' files and its response headers policy */
export interface ConsoleSite {
  /** the object served for `/` (DefaultRootObject) */
  rootObject?: string;
  /** its bucket's objects; a deployment's deploy-time values (markers) are filled in, as it fills them in */
  files: BucketFiles;
  /** the response headers policy's headers, by lower-case name */
  headers: Record<string, string>;
}

/** an object a bucket deployment puts in a bucket, its deploy-time values filled in, with the deployment's Cache-Control */
export interface BucketObject {
  body: Buffer;
  cacheControl?: string;
}
/** a bucket's objects by key (no leading slash) */
export type BucketFiles = Map<string, BucketObject>;

/** a path the API's distribution serves from a bucket */
export interface EdgeFile extends BucketObject {
  path: string;
}

interface Physical {
  ref: string;
  attributes: Record<string, string>;
  /** a type the runner runs (tables, queues, functions…): an attribute it does not know is an error, not a stand-in */
  modeled?: boolean;
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Reads the stacks of a cloud assembly (skipping those in another region, as the edge web ACL's, which guards
 * CloudFront and no local path) and resolves what the runner needs. `endpoint` is the local AWS endpoint's origin.
 */
export function readDeployedShape(assembly: string, endpoint: string, { consoleOrigin, apiOrigin }: { consoleOrigin?: string; apiOrigin?: string } = {}): DeployedShape {
  const assemblyDir = resolvePath(assembly);
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; environment?: string; properties?: { templateFile: string }; dependencies?: string[] }>;
  };
  const stacks = Object.entries(manifest.artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && !(artifact.environment ?? '').endsWith('/us-east-1'))
    .map(([name, artifact]) => ({ name, template: JSON.parse(readFileSync(join(assemblyDir, artifact.properties!.templateFile), 'utf8')) as Template }));
  const exports = new Map<string, Json>();
  const physical = new Map<string, Map<string, Physical>>();
  for (const { name, template } of stacks) physical.set(name, physicalNames(name, template, endpoint));
  // the console's distribution: the one whose origins are all buckets (the API's has a custom origin)
  const consoleDistribution = stacks.flatMap(({ name, template }) =>
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::CloudFront::Distribution' && !distributionOrigins(resource).some((origin) => origin.CustomOriginConfig))
      .map(([id]) => ({ stack: name, id })),
  );
  if (consoleDistribution.length > 1) throw new Error(`only one distribution in front of a bucket is served locally (found ${consoleDistribution.map(({ id }) => id).join(', ')})`);
  const consoleUrl = consoleDistribution[0] && `https://${physical.get(consoleDistribution[0].stack)!.get(consoleDistribution[0].id)!.attributes.DomainName}`;
  // the API's distribution (the one with a custom origin): its CloudFront domain, and the domains it answers as (Aliases)
  const apiUrls = stacks.flatMap(({ name, template }) =>
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::CloudFront::Distribution' && distributionOrigins(resource).some((origin) => origin.CustomOriginConfig))
      .flatMap(([id, resource]) => [physical.get(name)!.get(id)!.attributes.DomainName, ...distributionAliases(resource)].map((domain) => `https://${domain}`)),
  );
  const standIns = [...(consoleUrl && consoleOrigin ? [{ url: consoleUrl, origin: consoleOrigin }] : []), ...(apiOrigin ? apiUrls.map((url) => ({ url, origin: apiOrigin })) : [])].map(
    ({ url, origin }) => ({ pattern: new RegExp(`${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.:-])`, 'g'), origin }),
  );
  /** a URL a template builds on a distribution's domain: the runner's origin for it stands in */
  const localUrls = (text: string) => standIns.reduce((local, { pattern, origin }) => local.replace(pattern, origin), text);

  const resolverFor = (stack: string) => {
    const own = physical.get(stack)!;
    const resolve = (value: Json): Json => {
      if (Array.isArray(value)) return value.map(resolve);
      // (a custom domain is written as it is: the app puts `https://feedback.example.com` in the template as a literal)
      if (typeof value === 'string') return localUrls(value);
      if (value === null || typeof value !== 'object') return value;
      const keys = Object.keys(value);
      if (keys.length === 1) {
        const [key] = keys as [string];
        const arg = value[key]!;
        switch (key) {
          case 'Ref':
            return refOf(arg as string);
          case 'Fn::GetAtt': {
            const [id, attribute] = (typeof arg === 'string' ? arg.split('.') : arg) as [string, string];
            const resource = own.get(id);
            const found = resource?.attributes[attribute];
            if (found !== undefined) return found;
            // what the runner never reaches (an S3 origin access control's id, say) stands in by its name
            if (resource && !resource.modeled) return `${id}.${attribute}`;
            throw new Error(`${stack}: cannot resolve Fn::GetAtt ${id}.${attribute}`);
          }
          case 'Fn::ImportValue': {
            const exportName = resolve(arg) as string;
            if (!exports.has(exportName)) throw new Error(`${stack}: no stack exports ${exportName}`);
            return exports.get(exportName)!;
          }
          case 'Fn::Join': {
            const [separator, parts] = arg as [string, Json[]];
            return localUrls((resolve(parts) as Json[]).join(separator));
          }
          case 'Fn::Select': {
            const [index, list] = arg as [Json, Json];
            return (resolve(list) as Json[])[Number(resolve(index))] ?? '';
          }
          case 'Fn::Split': {
            const [separator, text] = arg as [string, Json];
            return String(resolve(text)).split(separator);
          }
          case 'Fn::Sub': {
            const [text, variables] = (typeof arg === 'string' ? [arg, {}] : arg) as [string, Record<string, Json>];
            return localUrls(
              text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
                if (name in variables) return String(resolve(variables[name]!));
                if (name.includes('.')) return String(resolve({ 'Fn::GetAtt': name.split('.') as Json[] }));
                return refOf(name);
              }),
            );
          }
        }
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    };
    const refOf = (id: string): string => {
      switch (id) {
        case 'AWS::Region':
          return REGION;
        case 'AWS::AccountId':
          return ACCOUNT;
        case 'AWS::Partition':
          return 'aws';
        case 'AWS::URLSuffix':
          return 'amazonaws.com';
        case 'AWS::StackName':
          return stack;
        case 'AWS::NoValue':
          return '';
      }
      const found = own.get(id);
      if (!found) throw new Error(`${stack}: cannot resolve Ref ${id}`);
      return found.ref;
    };
    return resolve;
  };

  // exports first: a stack imports what another exports
  for (const { name, template } of stacks) {
    const resolve = resolverFor(name);
    for (const output of Object.values(template.Outputs ?? {})) {
      if (output.Export) exports.set(resolve(output.Export.Name) as string, resolve(output.Value));
    }
  }

  const shape: DeployedShape = {
    tables: [],
    queues: [],
    secrets: [],
    functions: [],
    routes: [],
    apiId: '',
    eventSourceMappings: [],
    schedules: [],
    policies: new Map(),
    invokePermissions: [],
    edgeHeaders: {},
    edgeFiles: [],
  };
  /** the API distribution's paths served from a bucket, and what each bucket's deployments put in it */
  const bucketPaths: { bucketId: string; path: string }[] = [];
  const deployments = new Map<string, { sources: { dir: string; markers: Record<string, string> }[]; cacheControl?: string }[]>();
  /** the console distribution's bucket and headers policy (logical ids), and its root object */
  let consoleHosting: { stack: string; bucketId?: string; headersPolicyId?: string; rootObject?: string } | undefined;
  for (const { name: stack, template } of stacks) {
    const resolve = resolverFor(stack);
    const own = physical.get(stack)!;
    const integrations = new Map<string, { functionArn: string; timeoutMs: number }>();
    const routes: { routeKey: string; target: string }[] = [];
    for (const [id, resource] of Object.entries(template.Resources)) {
      const props = (resource.Properties ?? {}) as Record<string, Json>;
      const { ref, attributes } = own.get(id)!;
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table':
          shape.tables.push({ logicalId: id, name: ref, arn: attributes.Arn!, properties: resolve(props) as Record<string, Json> });
          break;
        case 'AWS::SQS::Queue': {
          const resolved = resolve(props) as Record<string, Json>;
          const redrive = resolved.RedrivePolicy as { deadLetterTargetArn: string; maxReceiveCount: number } | undefined;
          shape.queues.push({
            logicalId: id,
            name: attributes.QueueName!,
            arn: attributes.Arn!,
            url: ref,
            visibilityTimeoutSeconds: Number(resolved.VisibilityTimeout ?? 30),
            ...(resolved.MessageRetentionPeriod !== undefined ? { retentionSeconds: Number(resolved.MessageRetentionPeriod) } : {}),
            ...(redrive ? { redrive: { deadLetterTargetArn: redrive.deadLetterTargetArn, maxReceiveCount: Number(redrive.maxReceiveCount) } } : {}),
          });
          break;
        }
        case 'AWS::SecretsManager::Secret': {
          const resolved = resolve(props) as Record<string, Json>;
          const generate = resolved.GenerateSecretString as Record<string, Json> | undefined;
          shape.secrets.push({
            logicalId: id,
            name: attributes.Name!,
            arn: ref,
            ...(generate
              ? {
                  generate: {
                    passwordLength: generate.PasswordLength as number | undefined,
                    excludePunctuation: generate.ExcludePunctuation as boolean | undefined,
                    secretStringTemplate: generate.SecretStringTemplate as string | undefined,
                    generateStringKey: generate.GenerateStringKey as string | undefined,
                  },
                }
              : {}),
            ...(typeof resolved.SecretString === 'string' ? { secretString: resolved.SecretString } : {}),
          });
          break;
        }
        case 'AWS::Lambda::Function': {
          const resolved = resolve(props) as Record<string, Json>;
          const assetPath = resource.Metadata?.['aws:asset:path'];
          if (typeof assetPath !== 'string') throw new Error(`${stack}/${id}: no bundled asset (aws:asset:path)`);
          const cdkPath = String(resource.Metadata?.['aws:cdk:path'] ?? id);
          shape.functions.push({
            logicalId: id,
            name: ref,
            arn: attributes.Arn!,
            assetDir: join(assemblyDir, assetPath),
            handler: String(resolved.Handler ?? 'index.handler'),
            runtime: String(resolved.Runtime ?? ''),
            timeoutSeconds: Number(resolved.Timeout ?? 3),
            memoryMb: Number(resolved.MemorySize ?? 128),
            ...(resolved.ReservedConcurrentExecutions !== undefined ? { reservedConcurrency: Number(resolved.ReservedConcurrentExecutions) } : {}),
            environment: Object.fromEntries(
              Object.entries(((resolved.Environment as Record<string, Json> | undefined)?.Variables ?? {}) as Record<string, Json>).map(([k, v]) => [k, String(v)]),
            ),
            roleArn: String(resolved.Role),
            displayName: cdkPath.split('/')[1] ?? id,
          });
          break;
        }
        case 'AWS::IAM::Policy': {
          const resolved = resolve(props) as { PolicyDocument: { Statement: Json[] }; Roles?: string[] };
          for (const roleName of resolved.Roles ?? []) {
            const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
            shape.policies.set(roleArn, [...(shape.policies.get(roleArn) ?? []), ...statementsOf(resolved.PolicyDocument)]);
          }
          break;
        }
        case 'AWS::IAM::Role': {
          const resolved = resolve(props) as { Policies?: { PolicyDocument: { Statement: Json[] } }[] };
          for (const policy of resolved.Policies ?? []) {
            shape.policies.set(attributes.Arn!, [...(shape.policies.get(attributes.Arn!) ?? []), ...statementsOf(policy.PolicyDocument)]);
          }
          break;
        }
        case 'AWS::ApiGatewayV2::Api':
          shape.apiId = ref;
          break;
        case 'AWS::ApiGatewayV2::Integration': {
          const resolved = resolve(props) as { IntegrationType: string; IntegrationUri: string; PayloadFormatVersion?: string; TimeoutInMillis?: number };
          if (resolved.IntegrationType !== 'AWS_PROXY' || resolved.PayloadFormatVersion !== '2.0') {
            throw new Error(`${stack}/${id}: only Lambda proxy integrations with payload format 2.0 are run (found ${resolved.IntegrationType} ${resolved.PayloadFormatVersion})`);
          }
          integrations.set(ref, { functionArn: resolved.IntegrationUri, timeoutMs: Math.min(resolved.TimeoutInMillis ?? MAX_INTEGRATION_TIMEOUT_MS, MAX_INTEGRATION_TIMEOUT_MS) });
          break;
        }
        case 'AWS::ApiGatewayV2::Route': {
          const resolved = resolve(props) as { RouteKey: string; Target?: string };
          routes.push({ routeKey: resolved.RouteKey, target: resolved.Target ?? '' });
          break;
        }
        case 'AWS::Lambda::Permission': {
          const resolved = resolve(props) as { Action: string; FunctionName: string; Principal: string; SourceArn?: string };
          if (resolved.Action === 'lambda:InvokeFunction') {
            shape.invokePermissions.push({ functionArn: resolved.FunctionName, principal: resolved.Principal, ...(resolved.SourceArn ? { sourceArn: resolved.SourceArn } : {}) });
          }
          break;
        }
        case 'AWS::CloudFront::Distribution': {
          const resolved = resolve(props) as { DistributionConfig?: { Origins?: { CustomOriginConfig?: unknown; OriginCustomHeaders?: { HeaderName: string; HeaderValue: string }[] }[] } };
          const origins = resolved.DistributionConfig?.Origins ?? [];
          for (const origin of origins) {
            if (!origin.CustomOriginConfig) continue;
            for (const { HeaderName, HeaderValue } of origin.OriginCustomHeaders ?? []) shape.edgeHeaders[HeaderName.toLowerCase()] = HeaderValue;
          }
          const config = props.DistributionConfig as {
            Origins?: { Id: string; S3OriginConfig?: unknown; DomainName?: { 'Fn::GetAtt'?: [string, string] } }[];
            CacheBehaviors?: { PathPattern: string; TargetOriginId: string }[];
            DefaultCacheBehavior?: { TargetOriginId: string; ResponseHeadersPolicyId?: { Ref?: string }; FunctionAssociations?: { EventType: string; FunctionARN: { 'Fn::GetAtt'?: [string, string] } }[] };
            DefaultRootObject?: string;
          };
          const bucketOf = (originId: string) => config.Origins?.find((origin) => origin.Id === originId && origin.S3OriginConfig)?.DomainName?.['Fn::GetAtt']?.[0];
          if (id === consoleDistribution[0]?.id && stack === consoleDistribution[0].stack) {
            consoleHosting = {
              stack,
              bucketId: bucketOf(config.DefaultCacheBehavior?.TargetOriginId ?? ''),
              headersPolicyId: config.DefaultCacheBehavior?.ResponseHeadersPolicyId?.Ref,
              rootObject: config.DefaultRootObject,
            };
            break;
          }
          // the API's distribution (the one with a custom origin): its paths served from a bucket instead
          const viewerRequest = config.DefaultCacheBehavior?.FunctionAssociations?.find((association) => association.EventType === 'viewer-request');
          if (viewerRequest) {
            const functionId = viewerRequest.FunctionARN['Fn::GetAtt']?.[0];
            const code = functionId ? (template.Resources[functionId]?.Properties as { FunctionCode?: unknown } | undefined)?.FunctionCode : undefined;
            if (typeof code !== 'string') throw new Error(`${stack}: the API distribution's viewer-request function has no inline code in the template`);
            shape.viewerRequestCode = code;
          }
          for (const behaviour of config.CacheBehaviors ?? []) {
            const bucketId = bucketOf(behaviour.TargetOriginId);
            if (bucketId) bucketPaths.push({ bucketId, path: behaviour.PathPattern });
          }
          break;
        }
        case 'Custom::CDKBucketDeployment': {
          const bucketId = (props.DestinationBucketName as { Ref?: string } | undefined)?.Ref;
          if (!bucketId) break;
          // each source is an asset the assembly holds as a folder, named by the hash its object key carries; its
          // markers are the deploy-time values the deployment writes into its files (JSON-escaped where configured)
          const markers = asArray(resolve(props.SourceMarkers ?? []) as Record<string, Json>[]);
          const markersConfig = asArray(props.SourceMarkersConfig as { jsonEscape?: boolean }[] | undefined);
          const sources = asArray(props.SourceObjectKeys as string[] | undefined).map((key, index) => ({
            dir: join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`),
            markers: Object.fromEntries(
              Object.entries(markers[index] ?? {}).map(([marker, value]) => [marker, markersConfig[index]?.jsonEscape ? JSON.stringify(String(value)).slice(1, -1) : String(value)]),
            ),
          }));
          const cacheControl = (props.SystemMetadata as Record<string, string> | undefined)?.['cache-control'];
          deployments.set(bucketId, [...(deployments.get(bucketId) ?? []), { sources, ...(cacheControl ? { cacheControl } : {}) }]);
          break;
        }
        case 'AWS::Lambda::EventSourceMapping': {
          const resolved = resolve(props) as Record<string, Json>;
          shape.eventSourceMappings.push({
            logicalId: id,
            queueArn: String(resolved.EventSourceArn),
            functionName: String(resolved.FunctionName),
            batchSize: Number(resolved.BatchSize ?? 10),
            maximumBatchingWindowSeconds: Number(resolved.MaximumBatchingWindowInSeconds ?? 0),
            reportBatchItemFailures: asArray(resolved.FunctionResponseTypes as string[] | undefined).includes('ReportBatchItemFailures'),
            ...((resolved.ScalingConfig as Record<string, Json> | undefined)?.MaximumConcurrency !== undefined
              ? { maximumConcurrency: Number((resolved.ScalingConfig as Record<string, Json>).MaximumConcurrency) }
              : {}),
            enabled: resolved.Enabled !== false,
          });
          break;
        }
        case 'AWS::Scheduler::Schedule': {
          const resolved = resolve(props) as { ScheduleExpression: string; State?: string; Target: { Arn: string; RoleArn: string; Input?: string } };
          shape.schedules.push({
            logicalId: id,
            expression: resolved.ScheduleExpression,
            targetArn: resolved.Target.Arn,
            roleArn: resolved.Target.RoleArn,
            ...(resolved.Target.Input !== undefined ? { input: resolved.Target.Input } : {}),
            enabled: resolved.State !== 'DISABLED',
          });
          break;
        }
      }
    }
    for (const { routeKey, target } of routes) {
      const [method, path] = routeKey.split(' ') as [string, string];
      const integration = integrations.get(target.replace(/^integrations\//, ''));
      if (!integration) throw new Error(`${stack}: route ${routeKey} has no Lambda integration`);
      shape.routes.push({ method, path, ...integration });
    }
  }
  // each bucket's contents read once: the widget's paths and the console are served from the same bucket
  const contents = new Map<string, BucketFiles>();
  const filesIn = (bucketId: string) => contents.get(bucketId) ?? contents.set(bucketId, bucketFiles(deployments.get(bucketId) ?? [], localUrls)).get(bucketId)!;
  for (const { bucketId, path } of bucketPaths) {
    if (/[*?]/.test(path)) throw new Error(`the API's distribution serves ${path} from a bucket: only exact paths are served locally`);
    // a path no deployment puts in the bucket answers what S3 would: nothing here, so the route table's 404
    const file = filesIn(bucketId).get(path.slice(1));
    if (file) shape.edgeFiles.push({ path, ...file });
  }
  if (consoleHosting) {
    const { stack, bucketId, headersPolicyId, rootObject } = consoleHosting;
    const policy = headersPolicyId ? stacks.find(({ name }) => name === stack)!.template.Resources[headersPolicyId] : undefined;
    shape.console = {
      ...(rootObject ? { rootObject } : {}),
      files: bucketId ? filesIn(bucketId) : new Map(),
      headers: policy ? responseHeaders(resolverFor(stack)(policy.Properties ?? {}) as Record<string, Json>) : {},
    };
  }
  return shape;
}

const distributionOrigins = (resource: Resource) =>
  (((resource.Properties?.DistributionConfig as Record<string, Json> | undefined)?.Origins ?? []) as { CustomOriginConfig?: Json }[]);
/** the domains a distribution answers as besides its own (literal in the templates: `-c edgeDomainName`) */
const distributionAliases = (resource: Resource) =>
  (((resource.Properties?.DistributionConfig as Record<string, Json> | undefined)?.Aliases ?? []) as Json[]).filter((alias): alias is string => typeof alias === 'string');

/**
 * what a bucket's deployments put in it, by key: a later deployment of the same key wins, as its copy lands last. A
 * file with markers gets their values, then `localUrls`: a marker may be only a domain, the file holding the `https://`
 * before it (the console's config.json)
 */
function bucketFiles(deployments: { sources: { dir: string; markers: Record<string, string> }[]; cacheControl?: string }[], localUrls: (text: string) => string): BucketFiles {
  const files: BucketFiles = new Map();
  for (const { sources, cacheControl } of deployments) {
    for (const { dir, markers } of sources) {
      for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const file = join(entry.parentPath, entry.name);
        let body = readFileSync(file);
        if (Object.keys(markers).length > 0) {
          body = Buffer.from(localUrls(Object.entries(markers).reduce((text, [marker, value]) => text.replaceAll(marker, value), body.toString('utf8'))));
        }
        files.set(relative(dir, file).split(sep).join('/'), { body, ...(cacheControl ? { cacheControl } : {}) });
      }
    }
  }
  return files;
}

/** a CloudFront response headers policy's headers (its security headers and custom headers), as CloudFront writes them */
function responseHeaders(properties: Record<string, Json>): Record<string, string> {
  const config = (properties.ResponseHeadersPolicyConfig ?? {}) as {
    SecurityHeadersConfig?: {
      ContentSecurityPolicy?: { ContentSecurityPolicy: string };
      ContentTypeOptions?: unknown;
      FrameOptions?: { FrameOption: string };
      ReferrerPolicy?: { ReferrerPolicy: string };
      StrictTransportSecurity?: { AccessControlMaxAgeSec: number; IncludeSubdomains?: boolean; Preload?: boolean };
    };
    CustomHeadersConfig?: { Items?: { Header: string; Value: string }[] };
  };
  const security = config.SecurityHeadersConfig ?? {};
  const hsts = security.StrictTransportSecurity;
  return {
    ...(security.ContentSecurityPolicy ? { 'content-security-policy': security.ContentSecurityPolicy.ContentSecurityPolicy } : {}),
    ...(security.ContentTypeOptions ? { 'x-content-type-options': 'nosniff' } : {}),
    ...(security.FrameOptions ? { 'x-frame-options': security.FrameOptions.FrameOption } : {}),
    ...(security.ReferrerPolicy ? { 'referrer-policy': security.ReferrerPolicy.ReferrerPolicy } : {}),
    ...(hsts ? { 'strict-transport-security': [`max-age=${hsts.AccessControlMaxAgeSec}`, ...(hsts.IncludeSubdomains ? ['includeSubDomains'] : []), ...(hsts.Preload ? ['preload'] : [])].join('; ') } : {}),
    ...Object.fromEntries((config.CustomHeadersConfig?.Items ?? []).map(({ Header, Value }) => [Header.toLowerCase(), Value])),
  };
}

function statementsOf(document: { Statement: Json[] }): PolicyStatement[] {
  return document.Statement.map((raw) => {
    const statement = raw as { Effect: 'Allow' | 'Deny'; Action?: string | string[]; Resource?: string | string[] };
    return { Effect: statement.Effect, Action: asArray(statement.Action), Resource: asArray(statement.Resource) };
  });
}

/** the name CloudFormation would give a resource without one: the stack's name and the logical id */
function physicalNames(stack: string, template: Template, endpoint: string): Map<string, Physical> {
  const names = new Map<string, Physical>();
  const modeled = new Set(['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret', 'AWS::Lambda::Function', 'AWS::IAM::Role']);
  for (const [id, resource] of Object.entries(template.Resources)) {
    const name = `${stack}-${id}`;
    const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        names.set(id, { ref: name, attributes: { Arn: arn('dynamodb', `table/${name}`), StreamArn: arn('dynamodb', `table/${name}/stream/local`) } });
        break;
      case 'AWS::SQS::Queue':
        names.set(id, { ref: `${endpoint}/${ACCOUNT}/${name}`, attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: `${endpoint}/${ACCOUNT}/${name}` } });
        break;
      case 'AWS::SecretsManager::Secret': {
        // CloudFormation names a secret <logical id>-<12 characters>, and its ARN adds -<6 characters>
        const secretName = `${id}-local0000000`;
        names.set(id, { ref: arn('secretsmanager', `secret:${secretName}-AbCdEf`), attributes: { Name: secretName } });
        break;
      }
      case 'AWS::Lambda::Function':
        names.set(id, { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } });
        break;
      case 'AWS::IAM::Role':
        names.set(id, { ref: name, attributes: { Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, RoleId: id } });
        break;
      case 'AWS::Logs::LogGroup':
        names.set(id, { ref: `/aws/lambda/${name}`, attributes: { Arn: arn('logs', `log-group:/aws/lambda/${name}:*`) } });
        break;
      case 'AWS::SNS::Topic':
        names.set(id, { ref: arn('sns', name), attributes: { TopicArn: arn('sns', name), TopicName: name } });
        break;
      case 'AWS::S3::Bucket':
        names.set(id, {
          ref: name.toLowerCase(),
          attributes: { Arn: `arn:aws:s3:::${name.toLowerCase()}`, DomainName: `${name.toLowerCase()}.s3.amazonaws.com`, RegionalDomainName: `${name.toLowerCase()}.s3.${REGION}.amazonaws.com` },
        });
        break;
      case 'AWS::CloudFront::Distribution':
        // a distribution's domain, never reached locally: the console's https URL built on it is the runner's origin for it
        names.set(id, { ref: id, attributes: { DomainName: `${id.toLowerCase()}.cloudfront.net`, Id: id } });
        break;
      case 'AWS::ApiGatewayV2::Api':
        names.set(id, { ref: id.toLowerCase().slice(0, 10), attributes: { ApiEndpoint: `https://${id.toLowerCase().slice(0, 10)}.execute-api.${REGION}.amazonaws.com`, ApiId: id } });
        break;
      default:
        names.set(id, { ref: id, attributes: { Arn: arn('local', id) } });
    }
    if (modeled.has(resource.Type)) names.get(id)!.modeled = true;
  }
  return names;
}
