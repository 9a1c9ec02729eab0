// infra/cdk: abuse protection at the edge. AWS WAF cannot be associated with an API Gateway HTTP API (only REST APIs,
// CloudFront, ALB, AppSync, Cognito, App Runner, Amplify, Verified Access), so the API stack puts a CloudFront
// distribution in front of the HTTP API, and this stack holds its web ACL. A CLOUDFRONT-scope web ACL must be created
// in us-east-1, hence a stack of its own pinned there: deploy it, then pass its WebAclArn output to the API stack
// (`-c edgeWebAclArn=…`). See README, Abuse protection.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** requests per client IP per 5-minute window over which the edge blocks that IP (WAF's evaluation window) */
export const EDGE_RATE_LIMIT_PER_5_MINUTES = 1_000;
/** what a blocked client is told to wait: WAF re-evaluates an address's rate about every 30 s over its 5-minute window */
export const EDGE_RETRY_AFTER_SECONDS = 60;
const RATE_LIMITED_BODY = 'rate-limited';
/** the widget's files on the API's distribution (/widget.js, /widget-full.js); no API route starts so */
export const WIDGET_PATH_PREFIX = '/widget';

export class FeedbackEdgeWafStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

    const isPreflight: CfnWebACL.StatementProperty = {
      byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: 'OPTIONS', textTransformations: [{ priority: 0, type: 'NONE' }] },
    };
    // the widget's static files (served from CloudFront's cache, one or two per page view) count in neither: many
    // visitors behind one NAT address would otherwise lose the widget on page views alone
    const notWidgetFile: CfnWebACL.StatementProperty = {
      notStatement: {
        statement: {
          byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: WIDGET_PATH_PREFIX, textTransformations: [{ priority: 0, type: 'NONE' }] },
        },
      },
    };
    // one client IP over the limit is answered 429 until its rate drops (WAF counts per 5 minutes), in the API's own
    // error shape, with Retry-After, and readable by the widget's and the console's pages: without a CORS header a
    // browser hands a page only "network error", whatever the status
    const rateRule = (name: string, priority: number, counted: CfnWebACL.StatementProperty): CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: {
        block: {
          customResponse: {
            responseCode: 429,
            customResponseBodyKey: RATE_LIMITED_BODY,
            responseHeaders: [
              { name: 'retry-after', value: String(EDGE_RETRY_AFTER_SECONDS) },
              { name: 'access-control-allow-origin', value: '*' },
              { name: 'cache-control', value: 'no-store' },
            ],
          },
        },
      },
      statement: {
        rateBasedStatement: {
          limit: EDGE_RATE_LIMIT_PER_5_MINUTES,
          aggregateKeyType: 'IP',
          evaluationWindowSec: 300,
          scopeDownStatement: { andStatement: { statements: [notWidgetFile, counted] } },
        },
      },
      visibilityConfig: visibility(`feedback-edge-${name.replace(/-per-client-ip$/, '')}`),
    });

    this.webAcl = new CfnWebACL(this, 'EdgeWebAcl', {
      description: 'Feedback platform - per-IP rate limit and AWS IP reputation in front of the HTTP API, on CloudFront',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('feedback-edge'),
      customResponseBodies: {
        [RATE_LIMITED_BODY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: 'too many requests',
            details: [{ path: '', reason: `more than ${EDGE_RATE_LIMIT_PER_5_MINUTES} requests from this address in 5 minutes; retry after ${EDGE_RETRY_AFTER_SECONDS} s` }],
            retryAfterSeconds: EDGE_RETRY_AFTER_SECONDS,
          }),
        },
      },
      rules: [
        // two counts per client IP, each with the whole limit: requests, and CORS preflights apart. A browser sends a
        // preflight before each request that carries a token (the console's, and any browser client of the API; the
        // widget sends only simple requests), so counted together a CX lead's own requests would get about half the
        // limit; apart, a flood of preflights (each of which invokes a function) is still stopped at the limit
        rateRule('rate-per-client-ip', 0, { notStatement: { statement: isPreflight } }),
        rateRule('rate-preflights-per-client-ip', 1, isPreflight),
        {
          name: 'aws-ip-reputation',
          priority: 2,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
          visibilityConfig: visibility('feedback-edge-ip-reputation'),
        },
      ],
    });
    new CfnOutput(this, 'WebAclArn', {
      description: 'Pass to the API stack: npx cdk deploy FeedbackApi -c edgeWebAclArn=<this>',
      value: this.webAcl.attrArn,
    });
  }
}
