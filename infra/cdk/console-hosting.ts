// infra/cdk: the CX console as a static site: a private S3 bucket read only by CloudFront (origin access control),
// HTTPS only, with a security headers policy (CSP that allows the page's own files and the API, HSTS, no framing).
// The files are built by esbuild during synth (web-console/build.ts: no Docker, no network) and deployed with a
// config.json that tells the console where the HTTP API is; the widget's widget.js and widget-full.js go beside them,
// so a site can load the widget from the same CDN.
import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { buildConsoleSync } from '../../web-console/build.js';
import { buildWidgetSync } from '../../web-widget/build.js';
import { consoleContentSecurityPolicy } from '../console-headers.js';
import { globalCloudFrontName } from './global-names.js';
import { acknowledge, acknowledgeConsoleDeployment } from './nag-suppressions.js';

export interface ConsoleHostingProps {
  /** the API's public URL, the edge (https://<distribution>.cloudfront.net), never execute-api (config.json and the CSP) */
  apiEndpoint: string;
  /** how long its deployment's and bucket-emptying's log groups keep lines (context value logRetentionDays) */
  logRetention: RetentionDays;
}

/** the id aws-cdk-lib gives the singleton function behind every BucketDeployment of a stack */
const DEPLOYMENT_FUNCTION_ID = 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C';
/** the id aws-cdk-lib gives the singleton provider that empties a stack's autoDeleteObjects buckets */
const AUTO_DELETE_PROVIDER_ID = 'Custom::S3AutoDeleteObjectsCustomResourceProvider';

export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<distribution domain>: the console's origin, for CORS on the API */
  readonly origin: string;

  constructor(scope: Construct, id: string, { apiEndpoint, logRetention }: ConsoleHostingProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // built files only: rebuilt from the repository on every deploy. Emptied on delete by CDK's own provider: the
      // deployment's retainOnDelete: false does not do it, because the deployment tags the bucket as its own and
      // empties only buckets it does not own (aws-cdk#33397), so `cdk destroy` stopped at a bucket not empty
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    acknowledge(this.bucket, 'consoleBucketAccessLogs');
    this.keepEmptyingLogs(logRetention);

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: globalCloudFrontName(this, 'console-headers'),
      comment: 'CX console: CSP (own files + the API), HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(apiEndpoint), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Feedback platform: CX console and widget files',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessControl: new S3OriginAccessControl(this, 'FilesAccess', { originAccessControlName: globalCloudFrontName(this, 'console-files') }),
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
    });
    for (const finding of ['consoleDistributionGeo', 'consoleDistributionWaf', 'consoleDistributionLogs', 'consoleDistributionTls'] as const) acknowledge(this.distribution, finding);
    this.origin = `https://${this.distribution.distributionDomainName}`;

    const consoleFiles = buildConsoleSync();
    const widget = buildWidgetSync();
    const role = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'feedback console: copies the built console files to their bucket and invalidates the CDN',
    });
    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    logGroup.grantWrite(role);
    new BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [
        // index.html, console.js, console.css and each view's chunk
        ...Object.entries(consoleFiles).map(([name, body]) => Source.data(name, body)),
        Source.jsonData('config.json', { apiUrl: apiEndpoint }),
        Source.data('widget.js', widget.loader),
        Source.data('widget-full.js', widget.full),
      ],
      // the files are small and change with every release: a short cache, and the CDN invalidated on each deploy
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.minutes(5))],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      retainOnDelete: false,
      role,
      logGroup,
    });
    acknowledgeConsoleDeployment(role, this.bucket);
    const handler: IConstruct | undefined = Stack.of(this).node.tryFindChild(DEPLOYMENT_FUNCTION_ID);
    if (handler) acknowledge(handler, 'consoleDeploymentFunction');
  }

  /**
   * CDK's bucket-emptying provider (one per stack) logs to the group Lambda makes on its first run, which never expires
   * and which `cdk destroy` leaves behind (aws-cdk#24815, open): it logs to a group of ours instead, kept as long as the
   * others and deleted with the stack. Its function names the group, so CloudFormation deletes the group only after the function
   * has emptied the bucket and logged it.
   */
  private keepEmptyingLogs(retention: RetentionDays) {
    const provider = Stack.of(this).node.tryFindChild(AUTO_DELETE_PROVIDER_ID);
    const handler = provider?.node.tryFindChild('Handler');
    if (!(handler instanceof CfnResource)) throw new Error(`the bucket-emptying provider's function (${AUTO_DELETE_PROVIDER_ID}/Handler) is not where this CDK version put it`);
    const logs = new LogGroup(this, 'BucketEmptyingLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    handler.addPropertyOverride('LoggingConfig.LogGroup', logs.logGroupName);
  }
}
