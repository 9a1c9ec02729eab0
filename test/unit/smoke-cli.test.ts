// unit: `npm run smoke`'s arguments, and how --from-stacks reads the endpoint and admin token through the aws CLI
// (a stand-in for the CLI answers with the shapes `aws cloudformation describe-stacks` and `aws secretsmanager` print).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findAdminToken } from '../../cli/credentials.js';
import { fromStacks, parseSmokeArguments, refusedTokenHint, type AwsCli } from '../../cli/smoke.js';

const outputs: Record<string, { OutputKey: string; OutputValue: string }[]> = {
  FeedbackApi: [
    { OutputKey: 'ConsoleUrl', OutputValue: 'https://d222222abcdef8.cloudfront.net/' },
    { OutputKey: 'ApiUrl', OutputValue: 'https://d111111abcdef8.cloudfront.net/' },
  ],
  FeedbackStateful: [{ OutputKey: 'AdminTokenSecretName', OutputValue: 'AdminToken-abc' }],
};

/** answers like the aws CLI, and records what it was asked */
function fakeAws(calls: string[][], stacks = outputs): AwsCli {
  return async (args) => {
    calls.push(args);
    if (args[0] === 'cloudformation') {
      const stack = args[args.indexOf('--stack-name') + 1]!;
      if (!stacks[stack]) throw new Error(`An error occurred (ValidationError): Stack with id ${stack} does not exist\n`);
      return JSON.stringify(stacks[stack]);
    }
    return 'the-admin-token-0123456789\n';
  };
}

describe('npm run smoke arguments', () => {
  it('reads every option, with timeouts in seconds', () => {
    expect(parseSmokeArguments(['--endpoint', 'https://x.example.com', '--admin-token', 't', '--survey', 'smoke-2', '--timeout', '240', '--response-timeout', '90'])).toEqual({
      endpoint: 'https://x.example.com',
      adminToken: 't',
      surveyId: 'smoke-2',
      rollupTimeoutMs: 240_000,
      responseTimeoutMs: 90_000,
      fromStacks: false,
    });
    expect(parseSmokeArguments(['--from-stacks'])).toEqual({ fromStacks: true });
  });

  it('refuses an unknown option, a missing value, a bad timeout and an endpoint that is not a URL', () => {
    expect(() => parseSmokeArguments(['--endpiont', 'x'])).toThrow('unknown option --endpiont');
    expect(() => parseSmokeArguments(['--endpoint', '--admin-token', 't'])).toThrow('--endpoint: a value is missing');
    expect(() => parseSmokeArguments(['--timeout', '0'])).toThrow('--timeout: a number of seconds from 1 to 3600');
    expect(() => parseSmokeArguments(['--timeout', 'soon'])).toThrow('--timeout: a number of seconds');
    expect(() => parseSmokeArguments(['--endpoint', 'example.com'])).toThrow('--endpoint: a URL');
  });
});

describe('--from-stacks', () => {
  it('takes the ApiUrl output and the value of the secret the stateful stack names', async () => {
    // Prepare
    const calls: string[][] = [];

    // Act
    const found = await fromStacks(fakeAws(calls));

    // Assess
    expect(found).toEqual({ endpoint: 'https://d111111abcdef8.cloudfront.net/', adminToken: 'the-admin-token-0123456789' });
    expect(calls.at(-1)).toEqual(['secretsmanager', 'get-secret-value', '--secret-id', 'AdminToken-abc', '--query', 'SecretString', '--output', 'text']);
  });

  it('says which stack it cannot read, with the aws CLI\'s first line', async () => {
    await expect(fromStacks(fakeAws([], { FeedbackApi: outputs.FeedbackApi! }))).rejects.toThrow(
      "cannot read the FeedbackStateful stack's outputs with the aws CLI: An error occurred (ValidationError): Stack with id FeedbackStateful does not exist",
    );
  });
});

describe('the admin token the smoke check sends when none is passed', () => {
  afterEach(() => vi.unstubAllEnvs());

  it("says where it came from, and when npm start's was refused, that start:deployed keeps its own", () => {
    // Prepare: npm start's data folder, and no FEEDBACK_ADMIN_TOKEN
    const dataDir = mkdtempSync(join(tmpdir(), 'smoke-token-'));
    writeFileSync(join(dataDir, 'admin-token'), 'local-token-0123\n');
    vi.stubEnv('DATA_DIR', dataDir);
    vi.stubEnv('FEEDBACK_ADMIN_TOKEN', '');
    try {
      // Act
      const fromFile = findAdminToken();
      vi.stubEnv('FEEDBACK_ADMIN_TOKEN', 'from-the-shell');
      const fromShell = findAdminToken();

      // Assess
      expect(fromFile).toEqual({ token: 'local-token-0123', from: `${join(dataDir, 'admin-token')} (the one npm start made)` });
      expect(refusedTokenHint(fromFile!.from)).toMatch(/npm run start:deployed keeps its own: set FEEDBACK_ADMIN_TOKEN as its banner shows/);
      expect(fromShell).toEqual({ token: 'from-the-shell', from: 'FEEDBACK_ADMIN_TOKEN' });
      expect(refusedTokenHint(fromShell!.from)).not.toMatch(/start:deployed/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
