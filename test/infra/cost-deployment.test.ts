// infra: `npm run cost` reads the real synthesized templates (without bundling) the way the cost model expects: every
// alarm, secret-reading function and WAF rule the stacks create is counted, checked against what the topology and the
// edge stack declare independently of the template shapes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentOf, synthesizedTemplates, type CfnTemplate } from '../../cli/cost-deployment.js';
import { FeedbackEdgeWafStack } from '../../infra/cdk/edge-waf-stack.js';
import { topology } from '../../infra/topology.js';

let templates: CfnTemplate[];
// the edge stack's app is never synthesized, but an App without an outdir makes a temporary folder all the same
const templatesDir = mkdtempSync(join(tmpdir(), 'feedback-cost-test-'));

beforeAll(() => {
  templates = synthesizedTemplates();
}, 180_000);
afterAll(() => rmSync(templatesDir, { recursive: true, force: true }));

describe('the deployment npm run cost prices', () => {
  it('counts an errors alarm per function, a DLQ alarm and a backlog alarm per queue and the API\'s 5xx alarm, the functions that read a secret, and the web ACL rules', () => {
    // Act
    const deployment = deploymentOf(topology, templates);

    // Assess
    expect(deployment.alarms).toBe(Object.keys(topology.functions).length + 2 * Object.keys(topology.queues).length + 1);
    // a secret per declared need, and every routed function reads the origin-verify secret
    const routed = new Set(topology.routes.map((route) => route.function as string));
    const declaredReaders = Object.entries(topology.functions).filter(([name, fn]: [string, Record<string, unknown>]) => fn.adminToken || fn.linkKeys || fn.alertWebhook || fn.followupWebhook || routed.has(name));
    expect(deployment.secretReaders).toBe(declaredReaders.length);
    expect(deployment.edgeGuarded).toBe(routed.size);
    expect(deployment.secrets).toBeGreaterThanOrEqual(3);
    const edgeRules = new FeedbackEdgeWafStack(new App({ outdir: templatesDir }), 'EdgeWaf').webAcl.rules as unknown[];
    expect(deployment).toMatchObject({ webAcls: 1, wafRules: edgeRules.length });
    expect(edgeRules.length).toBeGreaterThan(0);
  });

  it('reads the logs\' retention from the log groups: a month by default, or what -c logRetentionDays sets', () => {
    expect(deploymentOf(topology, templates).logRetentionDays).toBe(30);
    expect(deploymentOf(topology, synthesizedTemplates({ logRetentionDays: 365 })).logRetentionDays).toBe(365);
  });

  it('counts the responses indexes every response is written to: bySurveyShard, expiring and, when kept, the legacy bySurvey', () => {
    expect(deploymentOf(topology, templates).responseIndexes).toBe(2);
    expect(deploymentOf(topology, synthesizedTemplates({ legacyBySurveyIndex: true })).responseIndexes).toBe(3);
  });
});
