// infra/cdk: the CDK app (`npx cdk synth`). Environment-agnostic on purpose: nothing here looks anything up in an
// account, so synth needs neither AWS credentials nor Docker.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FeedbackApiStack } from './stateless-stack.js';
import { FeedbackStatefulStack } from './stateful-stack.js';

export interface FeedbackApp {
  app: App;
  stateful: FeedbackStatefulStack;
  api: FeedbackApiStack;
}

/** Builds both stacks into `app` (tests pass their own App with context) and runs cdk-nag on them at synth. */
export function createFeedbackApp(app: App = new App()): FeedbackApp {
  const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
  const stateful = new FeedbackStatefulStack(app, 'FeedbackStateful', {
    description: 'Feedback platform: tables, queues and the admin token (retained data)',
  });
  const api = new FeedbackApiStack(app, 'FeedbackApi', {
    description: 'Feedback platform: functions, HTTP API, schedules and alarms',
    tables: stateful.tables,
    queues: stateful.queues,
    adminToken: stateful.adminToken,
    ...(typeof alarmEmail === 'string' && alarmEmail !== '' ? { alarmEmail } : {}),
  });
  // cdk-nag v3 is a policy-validation plugin: any unacknowledged finding fails synth with a report.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, api };
}

// run by the CDK CLI; importing this module (tests) only gets the factory
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  createFeedbackApp();
}
