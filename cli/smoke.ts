// `npm run smoke`: the post-deploy check (cli/smoke-check.ts) from a terminal. One line per step; exit code 0 when
// every step passed, 1 naming the step that failed, 2 on a usage error.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findAdminToken } from './credentials.js';
import { runSmoke, SMOKE_DEFAULTS, type StepResult } from './smoke-check.js';

const USAGE = `usage: npm run smoke -- [--endpoint URL] [--admin-token TOKEN] [--survey ID] [--timeout S] [--response-timeout S]
       npm run smoke -- --from-stacks [--survey ID] …
  --endpoint          the API's base URL: the FeedbackApi stack's ApiUrl output (CloudFront);
                      default $FEEDBACK_ENDPOINT, else http://127.0.0.1:3000 (npm start)
  --admin-token       default $FEEDBACK_ADMIN_TOKEN, else the token npm start keeps in DATA_DIR/admin-token
  --from-stacks       read both from the deployed stacks with the aws CLI (its default profile and region):
                      FeedbackApi's ApiUrl, and the secret named by FeedbackStateful's AdminTokenSecretName
  --survey            the check's own survey, created if missing (default ${SMOKE_DEFAULTS.surveyId}); a survey of
                      that id the check did not create is refused, never overwritten
  --timeout           seconds to wait for the rollup to count the response (default ${SMOKE_DEFAULTS.rollupTimeoutMs / 1000}; it runs every minute)
  --response-timeout  seconds to wait for the response to be stored with its sentiment (default ${SMOKE_DEFAULTS.responseTimeoutMs / 1000})`;

class UsageError extends Error {}

export interface SmokeArguments {
  endpoint?: string;
  adminToken?: string;
  surveyId?: string;
  rollupTimeoutMs?: number;
  responseTimeoutMs?: number;
  fromStacks: boolean;
}

const positiveSeconds = (name: string, value: string) => {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0 && n <= 3600)) throw new UsageError(`${name}: a number of seconds from 1 to 3600`);
  return n * 1000;
};

export function parseSmokeArguments(args: string[]): SmokeArguments {
  const parsed: SmokeArguments = { fromStacks: false };
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!;
    if (name === '--from-stacks') {
      parsed.fromStacks = true;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name}: a value is missing\n${USAGE}`);
    i++;
    if (name === '--endpoint') parsed.endpoint = value;
    else if (name === '--admin-token') parsed.adminToken = value;
    else if (name === '--survey') parsed.surveyId = value;
    else if (name === '--timeout') parsed.rollupTimeoutMs = positiveSeconds(name, value);
    else if (name === '--response-timeout') parsed.responseTimeoutMs = positiveSeconds(name, value);
    else throw new UsageError(`unknown option ${name}\n${USAGE}`);
  }
  if (parsed.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(parsed.endpoint)) throw new UsageError('--endpoint: a URL such as https://d111111abcdef8.cloudfront.net');
  return parsed;
}

export type AwsCli = (args: string[]) => Promise<string>;

const awsCli: AwsCli = async (args) => (await promisify(execFile)('aws', args, { maxBuffer: 1024 * 1024 })).stdout;

/** the endpoint and admin token of the deployed stacks, through the aws CLI (outputs, then the secret's value) */
export async function fromStacks(aws: AwsCli = awsCli): Promise<{ endpoint: string; adminToken: string }> {
  const outputsOf = async (stack: string) => {
    let text: string;
    try {
      text = await aws(['cloudformation', 'describe-stacks', '--stack-name', stack, '--query', 'Stacks[0].Outputs', '--output', 'json']);
    } catch (error) {
      throw new UsageError(`cannot read the ${stack} stack's outputs with the aws CLI: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
    }
    const outputs = JSON.parse(text) as { OutputKey: string; OutputValue: string }[] | null;
    return new Map((outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  };
  const api = await outputsOf('FeedbackApi');
  const stateful = await outputsOf('FeedbackStateful');
  const endpoint = api.get('ApiUrl');
  const secretName = stateful.get('AdminTokenSecretName');
  if (!endpoint) throw new UsageError('the FeedbackApi stack has no ApiUrl output: is it deployed?');
  if (!secretName) throw new UsageError('the FeedbackStateful stack has no AdminTokenSecretName output: is it deployed?');
  let adminToken: string;
  try {
    adminToken = (await aws(['secretsmanager', 'get-secret-value', '--secret-id', secretName, '--query', 'SecretString', '--output', 'text'])).trim();
  } catch (error) {
    throw new UsageError(`cannot read the admin token secret with the aws CLI: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
  }
  return { endpoint, adminToken };
}

/** what to do when the endpoint refused the admin token, by where it was read */
export const refusedTokenHint = (from: string) =>
  `the admin token came from ${from}. ` +
  (from.includes('npm start')
    ? 'npm run start:deployed keeps its own: set FEEDBACK_ADMIN_TOKEN as its banner shows; a deployed stack: --from-stacks, or --admin-token'
    : 'check it is the token of the stack (or local run) at the endpoint');

const stepLine = (step: StepResult) => `${step.ok ? 'ok  ' : 'FAIL'}  ${step.name.padEnd(15)}  ${step.detail}  (${(step.ms / 1000).toFixed(1)} s)`;

async function main(args: string[]): Promise<number> {
  const parsed = parseSmokeArguments(args);
  const stacks = parsed.fromStacks ? await fromStacks() : undefined;
  const endpoint = parsed.endpoint ?? stacks?.endpoint ?? process.env.FEEDBACK_ENDPOINT ?? 'http://127.0.0.1:3000';
  const found = parsed.adminToken ? { token: parsed.adminToken, from: '--admin-token' } : stacks ? { token: stacks.adminToken, from: "the stack's AdminToken secret" } : findAdminToken();
  if (!found) throw new UsageError('no admin token: pass --admin-token, set FEEDBACK_ADMIN_TOKEN, or use --from-stacks');
  const adminToken = found.token;
  console.log(`smoke check of ${endpoint} (survey ${parsed.surveyId ?? SMOKE_DEFAULTS.surveyId}; admin token from ${found.from})`);
  const result = await runSmoke({
    endpoint,
    adminToken,
    surveyId: parsed.surveyId,
    rollupTimeoutMs: parsed.rollupTimeoutMs,
    responseTimeoutMs: parsed.responseTimeoutMs,
    onStep: (step) => console.log(stepLine(step)),
  });
  if (result.ok) {
    console.log(`smoke check passed: ${result.steps.length} steps`);
    return 0;
  }
  const failed = result.steps.at(-1)!;
  console.error(`smoke check failed at step "${failed.name}": ${failed.detail}`);
  if (/answered 401/.test(failed.detail)) console.error(refusedTokenHint(found.from));
  return 1;
}

// run as a script; importing this module (tests) only gets its functions
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof UsageError ? error.message : error);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
