// bench: each function's cold start as the deploy-faithful runner (infra/deployed) sees it: a fresh sandbox process
// loads the bundle `cdk deploy` would ship, with exactly its template environment, and answers its first invocation
// (an HTTP request through the runner's API, a schedule's run, or a queue batch of one message), which makes at least
// one AWS call against the runner's local endpoint. Timed from before the spawn to the answer; the median of
// COLD_START_SAMPLES (default 5). Against, in the same run and the same way, in the function's place:
//   floor     a bundle (same esbuild options, infra/bundling.ts) that only imports and creates the AWS clients the
//             function's bundle holds (shared/aws), then answers; target: the function within 1.5 × its floor
//   floor+call the floor making one DynamoDB call (DescribeTable, which the role is denied: a full round trip all the
//             same) before it answers: what a first AWS call costs (credentials, signing, a connection), which every
//             function's first invocation pays and the floor does not
//   SDK floor the floor with the AWS SDK v3 clients of the same services in place of shared/aws (the pinned
//             @aws-sdk/* versions, bundled): what a function built on the SDK would pay before a line of its own code
// Beside the cold start, from the sandbox's REPORT line (function-pool.ts), where it goes: `init`, Lambda's Init
// Duration (the process's start to the handler module loaded; the floor's beside it), and `invoke`, the first
// invocation's Duration (its AWS calls through the local endpoint, and the local engines answering them). The rest
// of a cold start is the runner's: spawning the sandbox and carrying the trigger and the answer. `warm`, the Duration
// of a second invocation by the same trigger in the same sandbox, right after the first: the first invocation's AWS
// calls and the local engines' answers once the process is warm, so `invoke` less `warm` is what the first invocation
// pays for running in a fresh process (its code compiled and run cold, the first connections). And `+maps`, the
// function's Init Duration under NODE_OPTIONS=--enable-source-maps, which parses the bundle's source map as it loads
// (the functions map their stacks only when one is formatted instead: infra/source-mapped-stacks.ts).
// Standalone: `nice npx tsx test/bench/cold-start.ts` (COLD_START_FUNCTIONS=Admin,Rescore: only those); `npm run bench`
// runs it among the rest.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../../infra/bundling.js';
import type { FunctionResource } from '../../infra/deployed/cloud-assembly.js';
import { parseReportLine } from '../../infra/deployed/function-pool.js';
import { startDeployedRunner, type DeployedRunner } from '../../infra/deployed/runner.js';
import { synthesizeAssembly } from '../../infra/deployed/synth.js';
import { topology } from '../../infra/topology.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';

const SAMPLES = Number(process.env.COLD_START_SAMPLES ?? 5);
const TOKEN = 'bench-admin-token-00000000';
const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const TARGET_RATIO = 1.5;

/** the AWS clients a floor creates, by the shared/aws module the function's bundle holds, and their SDK v3 counterparts */
const CLIENTS = [
  {
    module: 'shared/aws/dynamodb.ts',
    ours: `import { DynamoDBClient, DynamoDBDocumentClient } from './shared/aws/dynamodb.js';\nnew DynamoDBDocumentClient(new DynamoDBClient({}));`,
    sdk: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nDynamoDBDocumentClient.from(new DynamoDBClient({}));`,
  },
  { module: 'shared/aws/sqs.ts', ours: `import { SQSClient } from './shared/aws/sqs.js';\nnew SQSClient({});`, sdk: `import { SQSClient } from '@aws-sdk/client-sqs';\nnew SQSClient({});` },
  {
    module: 'shared/aws/secrets-manager.ts',
    ours: `import { SecretsManagerClient } from './shared/aws/secrets-manager.js';\nnew SecretsManagerClient({});`,
    sdk: `import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';\nnew SecretsManagerClient({});`,
  },
  {
    module: 'shared/aws/comprehend.ts',
    ours: `import { ComprehendClient } from './shared/aws/comprehend.js';\nnew ComprehendClient({});`,
    sdk: `import { ComprehendClient } from '@aws-sdk/client-comprehend';\nnew ComprehendClient({});`,
  },
];

/** the AWS clients a bundle holds, read from its source map's list of sources */
function clientsOf(fn: FunctionResource) {
  const { sources } = JSON.parse(readFileSync(join(fn.assetDir, 'index.js.map'), 'utf8')) as { sources: string[] };
  return CLIENTS.filter(({ module }) => sources.some((source) => source.endsWith(module)));
}

/** a bundle that creates these clients at init, as a handler module does, and answers any event with a 200 */
async function buildFloor(clients: typeof CLIENTS, outdir: string, { call = false, sdk = false }: { call?: boolean; sdk?: boolean }) {
  // esbuild hoists imports, so each client's creation runs after every import, as in a handler module
  const contents = `${clients.map((client) => (sdk ? client.sdk : client.ours)).join('\n')}
${call ? `import { DescribeTableCommand, DynamoDBClient as Probe } from './shared/aws/dynamodb.js';\nconst probe = new Probe({});` : ''}
export const handler = async () => {
  ${call ? "await probe.send(new DescribeTableCommand({ TableName: 'floor' })).catch(() => undefined);" : ''}
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clients: ${clients.length} }), batchItemFailures: [] };
};
`;
  const { entryPoints: _, ...options } = esbuildOptionsFor('floor.ts', join(outdir, 'index.js'));
  await build({ ...options, stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'floor.ts' }, logLevel: 'warning' });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** how a function's first invocation is triggered: a cheap read through its first GET route, its schedule, or a queue batch */
function triggerFor(runner: DeployedRunner, fn: FunctionResource): { what: string; run: (sample: number) => Promise<string> } {
  const route = runner.shape.routes.find((r) => r.functionArn === fn.arn && r.method === 'GET') ?? runner.shape.routes.find((r) => r.functionArn === fn.arn);
  if (route) {
    const path = route.path.replace('{id}', 'demo').replace('{token}', 'not-a-valid-token').replace('{campaign}', 'spring').replace('{customerRef}', 'cust-1');
    return {
      what: `${route.method} ${path}`,
      run: async () => {
        const reply = await fetch(`${runner.url}${path}`, { method: route.method, headers: { authorization: `Bearer ${TOKEN}`, origin: 'https://shop.example' } });
        await reply.arrayBuffer();
        return String(reply.status);
      },
    };
  }
  if (runner.shape.schedules.some((s) => s.targetArn === fn.arn || s.targetArn === fn.name)) {
    return { what: 'its schedule', run: async () => describe(await runner.triggerSchedule(fn.displayName)) };
  }
  // queue consumers: one message of the shape their producer sends
  const body = (sample: number) =>
    fn.displayName === 'Process'
      ? { id: `cold-${sample}-${Date.now()}`, surveyId: 'demo', receivedAt: new Date().toISOString(), expiresAt: Math.floor(Date.now() / 1000) + 86_400, channel: 'web', answers: { nps: 9 } }
      : { response: { responseId: `cold-${sample}-${Date.now()}`, surveyId: 'demo', receivedAt: new Date().toISOString(), answers: { nps: 2 }, sentiment: null, channel: 'web' }, reasons: [{ rule: 'nps-detractor' }] };
  return {
    what: 'a queue batch of 1',
    run: async (sample) =>
      describe(
        await runner.invoke(fn.displayName, {
          Records: [{ messageId: `m-${sample}`, receiptHandle: 'r', body: JSON.stringify(body(sample)), attributes: { ApproximateReceiveCount: '1' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q', awsRegion: 'us-east-1' }],
        }),
      ),
  };
}

const describe = (result: unknown) => {
  const failures = (result as { batchItemFailures?: unknown[] } | null)?.batchItemFailures;
  return failures ? `${failures.length} failed` : 'ok';
};

const topologyName = (fn: FunctionResource) =>
  (Object.keys(topology.functions) as (keyof typeof topology.functions)[]).find((key) => key.toLowerCase() === fn.displayName.toLowerCase());

const VARIANTS = ['bundled', 'mapsAtLoad', 'floor', 'floorCall', 'sdkFloor'] as const;
type Variant = (typeof VARIANTS)[number];
const figuresOf = () => Object.fromEntries(VARIANTS.map((variant) => [variant, [] as number[]])) as Record<Variant, number[]>;
type Subject = Awaited<ReturnType<typeof prepareSubject>>;

/** a function's bundles (its own, its floors) and how its first invocation is triggered */
async function prepareSubject(runner: DeployedRunner, fn: FunctionResource, work: string) {
  const clients = clientsOf(fn);
  const floorDir = join(work, 'floor', fn.displayName);
  const floorCallDir = join(work, 'floor-call', fn.displayName);
  const sdkFloorDir = join(work, 'sdk-floor', fn.displayName);
  for (const dir of [floorDir, floorCallDir, sdkFloorDir]) mkdirSync(dir, { recursive: true });
  await buildFloor(clients, floorDir, {});
  await buildFloor(clients, floorCallDir, { call: true });
  await buildFloor(clients, sdkFloorDir, { sdk: true });
  const variants: { variant: Variant; dir?: string; env: Record<string, string> }[] = [
    { variant: 'bundled', env: {} },
    // the function's own bundle with the source maps Node parses as it loads (what the stack had before)
    { variant: 'mapsAtLoad', env: { NODE_OPTIONS: '--enable-source-maps' } },
    { variant: 'floor', dir: floorDir, env: {} },
    { variant: 'floorCall', dir: floorCallDir, env: {} },
    { variant: 'sdkFloor', dir: sdkFloorDir, env: {} },
  ];
  return {
    fn,
    clients: clients.map(({ module }) => module.replace(/^shared\/aws\/|\.ts$/g, '')).join(' + '),
    trigger: triggerFor(runner, fn),
    kb: { bundled: statSync(join(fn.assetDir, 'index.js')).size / 1024, floor: statSync(join(floorDir, 'index.js')).size / 1024, sdkFloor: statSync(join(sdkFloorDir, 'index.js')).size / 1024 },
    variants,
    ms: figuresOf(),
    init: figuresOf(),
    invocation: figuresOf(),
    /** the Duration of the second invocation in the function's own sandbox */
    warm: [] as number[],
    answers: new Set<string>(),
  };
}

export async function benchColdStarts(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'feedback-cold-'));
  const lines: string[] = [];
  let runner: DeployedRunner | undefined;
  try {
    // ASSEMBLY_DIR: a cdk.out synthesized earlier (as `npm run start:deployed` takes it), to skip bundling every function
    const assembly = process.env.ASSEMBLY_DIR ? resolve(process.env.ASSEMBLY_DIR) : synthesizeAssembly(join(work, 'cdk.out'));
    runner = await startDeployedRunner({ assemblyDir: assembly, dataDir: join(work, 'data'), schedules: 'manual', secrets: { AdminToken: TOKEN } });
    const put = await fetch(`${runner.url}/v1/surveys/demo`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(demoSurvey(['https://shop.example'])) });
    if (put.status !== 200) throw new Error(`PUT /v1/surveys/demo: ${put.status}`);

    // the topology's functions (the template also holds the CDK's own, e.g. custom-resource providers)
    // COLD_START_FUNCTIONS: a comma-separated list of the functions to measure (default: all)
    const functions = runner.shape.functions.filter((fn) => topologyName(fn) !== undefined);
    const only = process.env.COLD_START_FUNCTIONS?.split(',').map((name) => name.trim().toLowerCase());
    const unknown = only?.filter((name) => !functions.some((fn) => fn.displayName.toLowerCase() === name)) ?? [];
    if (unknown.length > 0) throw new Error(`COLD_START_FUNCTIONS: no function ${unknown.join(', ')}; the functions: ${functions.map((fn) => fn.displayName).join(', ')}`);
    const ours = functions.filter((fn) => !only || only.includes(fn.displayName.toLowerCase()));

    // the REPORT lines a function's log gained since the last look (by request id: the log keeps its last lines only)
    const seen = new Set<string>();
    const logsOf = runner.logsOf;
    const newReports = (displayName: string) => {
      const fresh = logsOf(displayName).flatMap((line) => {
        const report = parseReportLine(line);
        return report && !seen.has(report.requestId) ? [report] : [];
      });
      for (const report of fresh) seen.add(report.requestId);
      return fresh;
    };
    for (const fn of ours) newReports(fn.displayName);

    // the bundles to compare, built once
    const subjects: Subject[] = [];
    for (const fn of ours) subjects.push(await prepareSubject(runner, fn, work));

    // rounds, each variant of each function once per round, neighbours in time
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      for (const subject of subjects) {
        for (const { variant, dir, env } of subject.variants) {
          runner.useBundle(subject.fn.displayName, dir, env);
          const started = performance.now();
          const answer = await subject.trigger.run(sample);
          subject.ms[variant].push(performance.now() - started);
          // the sandbox's own REPORT line, the one this trigger caused: its Init Duration (process start to handler
          // loaded) and the invocation's Duration
          const reports = newReports(subject.fn.displayName);
          const [report] = reports;
          if (reports.length !== 1 || report?.initDurationMs === undefined || report.status !== undefined) {
            const failures = runner.initFailures.map((failure) => `${failure.function}: ${failure.error}`).join('; ');
            throw new Error(
              `${subject.fn.displayName} (${variant}), answered ${answer}: expected the REPORT line of one cold start, found ${JSON.stringify(reports)}${failures ? `; sandboxes that did not start: ${failures}` : ''}`,
            );
          }
          subject.init[variant].push(report.initDurationMs);
          subject.invocation[variant].push(report.durationMs);
          if (variant === 'bundled') {
            subject.answers.add(answer);
            // the same trigger again, in the sandbox the first one warmed (a queue batch gets a message of its own)
            await subject.trigger.run(sample + SAMPLES);
            const [second, ...more] = newReports(subject.fn.displayName);
            if (!second || more.length > 0 || second.initDurationMs !== undefined || second.status !== undefined) {
              throw new Error(`${subject.fn.displayName}: expected the REPORT line of one warm invocation, found ${JSON.stringify([second, ...more])}`);
            }
            subject.warm.push(second.durationMs);
          }
        }
      }
    }
    for (const subject of subjects) runner.useBundle(subject.fn.displayName);

    const ms = (value: number, width: number) => `${value.toFixed(0)} ms`.padStart(width);
    lines.push(
      `  ${'function'.padEnd(20)} ${'bundle'.padStart(7)} ${'cold start'.padStart(10)} ${'floor'.padStart(7)} ${'ratio'.padStart(6)}  ${'init'.padStart(6)} ${'+maps'.padStart(6)} ${'floor'.padStart(6)} ${'invoke'.padStart(7)} ${'warm'.padStart(6)}  ` +
        `${'floor+call'.padStart(10)} ${'ratio'.padStart(6)} ${'SDK floor'.padStart(17)}  first invocation (answer); floor's clients`,
    );
    for (const s of subjects) {
      const bundled = median(s.ms.bundled);
      const floor = median(s.ms.floor);
      const ratio = bundled / floor;
      const floorCall = median(s.ms.floorCall);
      lines.push(
        `  ${s.fn.displayName.padEnd(20)} ${`${s.kb.bundled.toFixed(0)} KB`.padStart(7)} ${ms(bundled, 10)} ${ms(floor, 7)} ${ratio.toFixed(2).padStart(6)}${ratio <= TARGET_RATIO ? ' ' : '!'} ` +
          `${ms(median(s.init.bundled), 6)} ${ms(median(s.init.mapsAtLoad), 6)} ${ms(median(s.init.floor), 6)} ${ms(median(s.invocation.bundled), 7)} ${ms(median(s.warm), 6)}  ` +
          `${ms(floorCall, 10)} ${(bundled / floorCall).toFixed(2).padStart(6)} ` +
          `${`${median(s.ms.sdkFloor).toFixed(0)} ms (${s.kb.sdkFloor.toFixed(0)} KB)`.padStart(17)}  ${s.trigger.what} (${[...s.answers].join(', ')}); ${s.clients}`,
      );
    }
    const all = (figures: 'ms' | 'init' | 'invocation', variant: Variant) => median(subjects.map((s) => median(s[figures][variant])));
    const worst = Math.max(...subjects.map((s) => median(s.ms.bundled) / median(s.ms.floor)));
    const within = subjects.filter((s) => median(s.ms.bundled) / median(s.ms.floor) <= TARGET_RATIO).length;
    // the floor as the issue first worded it, a bundle of the AWS SDK's own clients for the same services
    const sdkRatio = (s: Subject) => median(s.ms.bundled) / median(s.ms.sdkFloor);
    const withinSdk = subjects.filter((s) => sdkRatio(s) <= TARGET_RATIO).length;
    const worstSdk = Math.max(...subjects.map(sdkRatio));
    lines.push(
      `  medians over the functions: cold start ${all('ms', 'bundled').toFixed(0)} ms, floor ${all('ms', 'floor').toFixed(0)} ms, floor+call ${all('ms', 'floorCall').toFixed(0)} ms, ` +
        `SDK floor ${all('ms', 'sdkFloor').toFixed(0)} ms; init ${all('init', 'bundled').toFixed(0)} ms (${all('init', 'mapsAtLoad').toFixed(0)} ms with --enable-source-maps) against the floor's ${all('init', 'floor').toFixed(0)} ms, first invocation ${all('invocation', 'bundled').toFixed(0)} ms (${median(subjects.map((s) => median(s.warm))).toFixed(0)} ms warm); ` +
        `${within} of ${subjects.length} within ${TARGET_RATIO} × the floor, worst ratio ${worst.toFixed(2)}; ` +
        `${withinSdk} of ${subjects.length} within ${TARGET_RATIO} × the SDK floor, worst ratio ${worstSdk.toFixed(2)}`,
    );
    if (runner.initFailures.length > 0) lines.push(`  SANDBOXES THAT DID NOT START: ${runner.initFailures.map((failure) => `${failure.function}: ${failure.error}`).join('; ')}`);
    lines.push(
      `  floor bundles ${Math.min(...subjects.map((s) => s.kb.floor)).toFixed(0)}–${Math.max(...subjects.map((s) => s.kb.floor)).toFixed(0)} KB; each figure the median of ${SAMPLES} fresh sandboxes ('!': over the target); ` +
        "init and invoke from the sandbox's REPORT line: its Init Duration (process start to handler loaded) and the first invocation's Duration; " +
        'warm: the Duration of a second invocation by the same trigger in the same sandbox; ' +
        '+maps: the init of the same bundle under NODE_OPTIONS=--enable-source-maps',
    );
  } finally {
    await runner?.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  console.log(`cold starts: spawn → first answer in a fresh sandbox, bundle vs a floor of the same AWS clients (target: ≤ ${TARGET_RATIO} × the floor)`);
  console.log(await benchColdStarts());
  process.exit(0);
}
