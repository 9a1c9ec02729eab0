// unit: what infra/bundling.ts puts in a Lambda bundle in place of SDK parts a function cannot reach there: the
// default credential chain becomes its environment-variables link; the event-stream codecs and DynamoDB's endpoint-
// discovery cache are left out. And of zod, only what the function's schemas use (shared/validation.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptionsFor } from '../../infra/bundling.js';
import { topology } from '../../infra/topology.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const work = mkdtempSync(join(tmpdir(), 'feedback-lambda-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** bundles `contents` as the CDK app bundles a function, and runs it in a fresh node with only `env` */
async function runBundled(contents: string, env: Record<string, string>): Promise<string> {
  const outfile = join(work, `probe-${Math.random().toString(36).slice(2)}.cjs`);
  const { entryPoints: _, ...options } = esbuildOptionsFor('probe.ts', outfile);
  await build({ ...options, stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'probe.ts' }, logLevel: 'silent' });
  return execFileSync(process.execPath, [outfile], { env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, encoding: 'utf8' });
}

const credentialsProbe = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({ region: 'eu-west-1' });
client.config.credentials().then(
  (credentials) => console.log(JSON.stringify({ accessKeyId: credentials.accessKeyId, sessionToken: credentials.sessionToken })),
  (error) => console.log(JSON.stringify({ error: error.name, message: error.message })),
);
`;

const dynamoProbe = `
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
client.config.endpointDiscoveryEnabled().then(async (enabled) => {
  const sent = await client.send(new ListTablesCommand({})).then(() => 'answered', (error) => error.code ?? error.name);
  console.log(JSON.stringify({ enabled: enabled ?? null, sent }));
});
`;

describe('a Lambda bundle', () => {
  it('holds neither the credential chain past environment variables (profiles, SSO, STS, instance metadata), nor the event-stream codecs, nor the endpoint-discovery cache', async () => {
    // Act: the function with the most SDK clients of the routed ones (DynamoDB, SQS, Secrets Manager)
    const result = await build({ ...esbuildOptionsFor(topology.functions.ingest.entry, join(work, 'ingest.js')), write: false, metafile: true });
    const inputs = Object.keys(result.metafile.inputs);

    // Assess
    const unreachable = inputs.filter((path) => /@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients|token-providers)\/|@smithy\/credential-provider-imds\/|@smithy\/core\/dist-es\/submodules\/event-streams\/|@aws-sdk\/(middleware-endpoint-discovery|endpoint-cache)\/|\/mnemonist\//.test(path));
    expect(unreachable).toEqual([]);
    expect(inputs.some((path) => path.includes('node_modules/@aws-sdk/credential-provider-env/'))).toBe(true);
  });

  it("holds zod's functional API with its English messages only: neither classic zod nor any other locale", async () => {
    // Act: the function with the most schemas (submissions, surveys, query strings, its environment)
    const result = await build({ ...esbuildOptionsFor(topology.functions.ingest.entry, join(work, 'ingest-zod.js')), write: false, metafile: true });
    const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('ingest-zod.js'))?.[1];
    const zodParts = Object.entries(output?.inputs ?? {}).filter(([path, { bytesInOutput }]) => path.includes('node_modules/zod/') && bytesInOutput > 0);

    // Assess: a budget, too: classic zod brought 99 KB, and a zod namespace kept whole (its regexes: 7 KB) breaks it
    expect(zodParts.filter(([path]) => path.includes('/classic/'))).toEqual([]);
    expect(zodParts.filter(([path]) => path.includes('/locales/')).map(([path]) => path.replace(/.*\//, ''))).toEqual(['en.js']);
    expect(zodParts.reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0)).toBeLessThan(40 * 1024);
  });

  it("signs with the role's credentials that Lambda puts in the environment", async () => {
    // Act
    const output = await runBundled(credentialsProbe, { AWS_ACCESS_KEY_ID: 'ASIAROLEKEY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session' });

    // Assess
    expect(JSON.parse(output)).toEqual({ accessKeyId: 'ASIAROLEKEY', sessionToken: 'session' });
  });

  it('fails with the SDK\'s credentials error, not an empty signature, when the environment holds none', async () => {
    // Act: a profile would satisfy the full chain; the bundle does not look there
    const output = await runBundled(credentialsProbe, { AWS_PROFILE: 'default', HOME: work });

    // Assess
    expect(JSON.parse(output)).toMatchObject({ error: 'CredentialsProviderError', message: expect.stringMatching(/environment variable/i) });
  });

  it('builds a DynamoDB client that sends, with endpoint discovery reading as not configured', async () => {
    // Act: port 9 on the loopback refuses the connection: the command got as far as the network
    const output = await runBundled(dynamoProbe, { AWS_ACCESS_KEY_ID: 'ASIAROLEKEY', AWS_SECRET_ACCESS_KEY: 'secret' });

    // Assess
    expect(JSON.parse(output)).toEqual({ enabled: null, sent: 'ECONNREFUSED' });
  });
});
